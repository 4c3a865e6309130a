// html_eval(name, expr): a part's numeric result `name` satisfies "value expr" ("< 384").
#include "gateway/content/evals/html_evals.h"
#include "gateway/content/evals/html_facts.h"

namespace portcullis::content::evals {

int htmlEval(const EvalContext& context, const Args& args) {
  if (args.size() != 2) return 0;
  for (const auto& part : context.facts<HtmlFacts>().parts()) {
    const double* value = part.number(args[0]);
    if (value && htmlCompare(*value, args[1])) return 1;
  }
  return 0;
}

}  // namespace portcullis::content::evals
