// multipart_alternative_difference_count(ratio, minhtml): the text alternative has more than
// `ratio` times the HTML alternative's distinct words, which number more than `minhtml`.
#include "gateway/content/evals/alternative_difference_facts.h"
#include "gateway/content/evals/body_evals.h"
#include "gateway/content/evals/mime_eval_args.h"

namespace portcullis::content::evals {

int multipartAlternativeDifferenceCount(const EvalContext& ctx,
                                        const std::vector<std::string>& args) {
  if (args.size() < 2) return 0;
  const auto& facts = ctx.facts<AlternativeDifferenceFacts>();
  if (!(facts.htmlWords > perlNumber(args[1]))) return 0;
  return static_cast<double>(facts.textWords) / facts.htmlWords > perlNumber(args[0]) ? 1 : 0;
}

}  // namespace portcullis::content::evals
