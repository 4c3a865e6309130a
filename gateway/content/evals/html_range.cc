// html_range(name, min, max): min < value <= max for a part; max "inf" (or absent) has no
// upper bound.
#include "gateway/content/evals/html_evals.h"
#include "gateway/content/evals/html_facts.h"

namespace portcullis::content::evals {

int htmlRange(const EvalContext& context, const Args& args) {
  if (args.size() < 2 || args.size() > 3) return 0;
  const double min = perlNumber(args[1]);
  const bool unbounded = args.size() == 2 || args[2] == "inf";
  const double max = unbounded ? 0 : perlNumber(args[2]);
  for (const auto& part : context.facts<HtmlFacts>().parts()) {
    const double* value = part.number(args[0]);
    if (!value) continue;
    if (unbounded ? *value > min : (*value > min && *value <= max)) return 1;
  }
  return 0;
}

}  // namespace portcullis::content::evals
