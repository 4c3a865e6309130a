// multipart_alternative_difference(min, max): the share of the HTML alternative's words missing
// from the text alternative, min < share <= max ("undef" for no max; min 0 includes 0).
#include "gateway/content/evals/alternative_difference_facts.h"
#include "gateway/content/evals/body_evals.h"
#include "gateway/content/evals/mime_eval_args.h"

namespace portcullis::content::evals {

int multipartAlternativeDifference(const EvalContext& ctx, const std::vector<std::string>& args) {
  if (args.size() < 2) return 0;
  double diff = ctx.facts<AlternativeDifferenceFacts>().difference;
  double min = perlNumber(args[0]);
  bool aboveMin = min == 0 || diff > min;
  bool belowMax = args[1] == "undef" || diff <= perlNumber(args[1]);
  return aboveMin && belowMax ? 1 : 0;
}

}  // namespace portcullis::content::evals
