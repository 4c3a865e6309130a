// pixel_coverage(type, min[, max]): the summed pixel area of the type's images.
#include "gateway/content/evals/image_evals.h"
#include "gateway/content/evals/image_facts.h"
#include "gateway/content/evals/mime_eval_args.h"

namespace portcullis::content::evals {

int pixelCoverage(const EvalContext& ctx, const std::vector<std::string>& args) {
  auto min = numberArg(args, 1);
  if (!min) return 0;
  const auto* type = ctx.facts<ImageFacts>().type(args[0]);
  if (!type) return 0;
  return imageResultCheck(*min, numberArg(args, 2), type->pixels) ? 1 : 0;
}

}  // namespace portcullis::content::evals
