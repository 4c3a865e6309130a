// similar_recipients (HeaderEval.pm): five or more recipients that look alike (a similarity in
// [min, max), 'undef' unbounded): SUSPICIOUS_RECIPS, a dictionary attack's list.
#include <cstdlib>

#include "gateway/content/evals/header_evals.h"
#include "gateway/content/evals/recipient_list_facts.h"

namespace portcullis::content::evals {
namespace {

bool parseBound(const std::string& text, std::optional<double>& bound) {
  if (text == "undef") return true;
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end) return false;
  bound = value;
  return true;
}

}  // namespace

int similarRecipients(const EvalContext& ctx, const EvalArgs& args) {
  if (args.size() < 2) return 0;
  std::optional<double> min, max;
  if (!parseBound(args[0], min) || !parseBound(args[1], max)) return 0;
  double similar = ctx.facts<RecipientListFacts>().similar;
  return (!min || similar >= *min) && (!max || similar < *max) ? 1 : 0;
}

}  // namespace portcullis::content::evals
