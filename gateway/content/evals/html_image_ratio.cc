// html_image_ratio(min, max): a part's visible characters per pixel of declared image area
// (non_space_len / image_area) is in (min, max].
#include "gateway/content/evals/html_evals.h"
#include "gateway/content/evals/html_facts.h"

namespace portcullis::content::evals {

int htmlImageRatio(const EvalContext& context, const Args& args) {
  if (args.size() != 2) return 0;
  const double min = perlNumber(args[0]), max = perlNumber(args[1]);
  for (const auto& part : context.facts<HtmlFacts>().parts()) {
    const double* text = part.number("non_space_len");
    const double* area = part.number("image_area");
    if (!text || !area || *area <= 0) continue;
    const double ratio = *text / *area;
    if (ratio > min && ratio <= max) return 1;
  }
  return 0;
}

}  // namespace portcullis::content::evals
