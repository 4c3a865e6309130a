// check_for_shifted_date (HeaderEval.pm): the Date header is off from the closest Received
// date by at least `min` and less than `max` hours ('undef': unbounded). The DATE_IN_PAST_* and
// DATE_IN_FUTURE_* rules.
#include <cstdlib>

#include "gateway/content/evals/header_evals.h"
#include "gateway/content/evals/message_date_facts.h"

namespace portcullis::content::evals {
namespace {

// An hour bound: unbounded for 'undef', nothing when not a number.
bool parseBound(const std::string& text, std::optional<double>& bound) {
  if (text == "undef") return true;
  char* end = nullptr;
  double hours = std::strtod(text.c_str(), &end);
  if (text.empty() || *end) return false;
  bound = hours * 3600;
  return true;
}

}  // namespace

int checkForShiftedDate(const EvalContext& ctx, const EvalArgs& args) {
  if (args.size() < 2) return 0;
  std::optional<double> min, max;
  if (!parseBound(args[0], min) || !parseBound(args[1], max)) return 0;
  auto diff = static_cast<double>(ctx.facts<MessageDateFacts>().dateDiff);
  return (!min || diff >= *min) && (!max || diff < *max) ? 1 : 0;
}

}  // namespace portcullis::content::evals
