// image_size_range(type, minheight, minwidth[, maxheight, maxwidth]): an image of the type
// within these dimensions.
#include "gateway/content/evals/image_evals.h"
#include "gateway/content/evals/image_facts.h"
#include "gateway/content/evals/mime_eval_args.h"

namespace portcullis::content::evals {

int imageSizeRange(const EvalContext& ctx, const std::vector<std::string>& args) {
  if (args.size() < 3) return 0;
  const auto* type = ctx.facts<ImageFacts>().type(args[0]);
  if (!type) return 0;
  double minHeight = perlNumber(args[1]);
  double minWidth = perlNumber(args[2]);
  auto maxHeight = numberArg(args, 3);
  auto maxWidth = numberArg(args, 4);
  for (const auto& [height, width] : type->dimensions) {
    double h = static_cast<double>(height), w = static_cast<double>(width);
    if (h < minHeight || w < minWidth) continue;
    if ((maxHeight && h > *maxHeight) || (maxWidth && w > *maxWidth)) continue;
    return 1;
  }
  return 0;
}

}  // namespace portcullis::content::evals
