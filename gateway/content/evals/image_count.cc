// image_count(type, min[, max]): how many base64 images of the type ("all", "gif", "png",
// "jpeg") the message carries.
#include "gateway/content/evals/image_evals.h"
#include "gateway/content/evals/image_facts.h"
#include "gateway/content/evals/mime_eval_args.h"

namespace portcullis::content::evals {

int imageCount(const EvalContext& ctx, const std::vector<std::string>& args) {
  auto min = numberArg(args, 1);
  if (!min) return 0;
  const auto* type = ctx.facts<ImageFacts>().type(args[0]);
  if (!type) return 0;
  return imageResultCheck(*min, numberArg(args, 2), static_cast<double>(type->count)) ? 1 : 0;
}

}  // namespace portcullis::content::evals
