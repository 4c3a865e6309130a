// SpamAssassin's image eval functions: the list of those implemented, one file each.
#include "gateway/content/evals/image_evals.h"

#include "gateway/content/evals/eval_registry.h"

namespace portcullis::content::evals {

bool imageResultCheck(double min, std::optional<double> max, double value, bool noMaxEqual) {
  if (value < min) return false;
  if (max && value > *max) return false;
  // Perl compares with an undefined max as 0.
  if (noMaxEqual && value == max.value_or(0)) return false;
  return true;
}

void registerImageEvals(EvalRegistry& registry, const EvalSettings& /*settings*/) {
  registry.add("image_count", imageCount);
  registry.add("pixel_coverage", pixelCoverage);
  registry.add("image_size_exact", imageSizeExact);
  registry.add("image_size_range", imageSizeRange);
  registry.add("image_named", imageNamed);
  registry.add("image_name_regex", imageNameRegex);
  registry.add("image_to_text_ratio", imageToTextRatio);
}

}  // namespace portcullis::content::evals
