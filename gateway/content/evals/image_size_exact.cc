// image_size_exact(type, height, width): an image of the type with exactly these dimensions.
#include "gateway/content/evals/image_evals.h"
#include "gateway/content/evals/image_facts.h"
#include "gateway/content/evals/mime_eval_args.h"

namespace portcullis::content::evals {

int imageSizeExact(const EvalContext& ctx, const std::vector<std::string>& args) {
  if (args.size() < 3) return 0;
  const auto* type = ctx.facts<ImageFacts>().type(args[0]);
  if (!type) return 0;
  // ImageInfo looks the arguments up as the string "HxW": only plain decimal numbers match.
  for (const auto& [height, width] : type->dimensions)
    if (std::to_string(height) == args[1] && std::to_string(width) == args[2]) return 1;
  return 0;
}

}  // namespace portcullis::content::evals
