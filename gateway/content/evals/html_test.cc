// html_test(name): a part's result `name` is true (HTML_MESSAGE: html_test('html')).
#include "gateway/content/evals/html_evals.h"
#include "gateway/content/evals/html_facts.h"

namespace portcullis::content::evals {

int htmlTest(const EvalContext& context, const Args& args) {
  if (args.size() != 1) return 0;
  for (const auto& part : context.facts<HtmlFacts>().parts())
    if (part.isTrue(args[0])) return 1;
  return 0;
}

}  // namespace portcullis::content::evals
