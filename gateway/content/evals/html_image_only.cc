// html_image_only(min, max): a part with an <img> whose HTML source is min < length <= max
// characters long (little besides the image).
#include "gateway/content/evals/html_evals.h"
#include "gateway/content/evals/html_facts.h"

namespace portcullis::content::evals {

int htmlImageOnly(const EvalContext& context, const Args& args) {
  if (args.size() != 2) return 0;
  const double min = perlNumber(args[0]), max = perlNumber(args[1]);
  for (const auto& part : context.facts<HtmlFacts>().parts()) {
    const double* length = part.number("length");
    if (part.inside.count("img") && length && *length > min && *length <= max) return 1;
  }
  return 0;
}

}  // namespace portcullis::content::evals
