// html_tag_balance(tag, expr): a part's count of open `tag` elements (start tags minus end
// tags, never below zero) satisfies expr ("!= 0": left open).
#include "gateway/content/evals/html_evals.h"
#include "gateway/content/evals/html_facts.h"

namespace portcullis::content::evals {

int htmlTagBalance(const EvalContext& context, const Args& args) {
  if (args.size() != 2 || args[0].empty()) return 0;
  for (char c : args[0])
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return 0;
  for (const auto& part : context.facts<HtmlFacts>().parts()) {
    auto it = part.inside.find(args[0]);
    if (it != part.inside.end() && htmlCompare(static_cast<double>(it->second), args[1])) return 1;
  }
  return 0;
}

}  // namespace portcullis::content::evals
