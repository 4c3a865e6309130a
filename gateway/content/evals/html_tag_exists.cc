// html_tag_exists(tag): a part has the tag, as a start or an end tag.
#include "gateway/content/evals/html_evals.h"
#include "gateway/content/evals/html_facts.h"

namespace portcullis::content::evals {

int htmlTagExists(const EvalContext& context, const Args& args) {
  if (args.size() != 1) return 0;
  for (const auto& part : context.facts<HtmlFacts>().parts())
    if (part.inside.count(args[0])) return 1;
  return 0;
}

}  // namespace portcullis::content::evals
