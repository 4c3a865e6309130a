// SpamAssassin's ImageInfo.pm functions (one file each), over ImageFacts.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "gateway/content/evals/eval_context.h"

namespace portcullis::content::evals {

int imageCount(const EvalContext& ctx, const std::vector<std::string>& args);
int pixelCoverage(const EvalContext& ctx, const std::vector<std::string>& args);
int imageSizeExact(const EvalContext& ctx, const std::vector<std::string>& args);
int imageSizeRange(const EvalContext& ctx, const std::vector<std::string>& args);
int imageNamed(const EvalContext& ctx, const std::vector<std::string>& args);
int imageNameRegex(const EvalContext& ctx, const std::vector<std::string>& args);
int imageToTextRatio(const EvalContext& ctx, const std::vector<std::string>& args);

// ImageInfo's result_check: min <= value <= max (max optional; `noMaxEqual` excludes max).
bool imageResultCheck(double min, std::optional<double> max, double value, bool noMaxEqual = false);

}  // namespace portcullis::content::evals
