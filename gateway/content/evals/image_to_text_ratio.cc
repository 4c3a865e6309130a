// image_to_text_ratio(type, min, max): body text characters per image pixel, min <= ratio < max.
// SpamAssassin hands a body rule the rendered body and a rawbody rule the raw body; the eval
// interface carries no rule type, so this reads the rendered body (as the body rule
// __DC_IMG_TEXT_RATIO does).
#include "gateway/content/evals/image_evals.h"
#include "gateway/content/evals/image_facts.h"
#include "gateway/content/evals/mime_eval_args.h"

namespace portcullis::content::evals {

int imageToTextRatio(const EvalContext& ctx, const std::vector<std::string>& args) {
  if (args.size() < 3) return 0;
  const auto* type = ctx.facts<ImageFacts>().type(args[0]);
  if (!type || type->pixels <= 0) return 0;
  size_t textLength = 0;
  for (const auto& line : ctx.text().body()) textLength += line.size();
  if (textLength == 0) return 0;
  double ratio = static_cast<double>(textLength) / type->pixels;
  return imageResultCheck(perlNumber(args[1]), perlNumber(args[2]), ratio, true) ? 1 : 0;
}

}  // namespace portcullis::content::evals
