// SpamAssassin's BodyEval.pm functions (one file each).
#pragma once
#include <string>
#include <vector>

#include "gateway/content/evals/eval_context.h"

namespace portcullis::content::evals {

int multipartAlternativeDifference(const EvalContext& ctx, const std::vector<std::string>& args);
int multipartAlternativeDifferenceCount(const EvalContext& ctx,
                                        const std::vector<std::string>& args);
int checkBlankLineRatio(const EvalContext& ctx, const std::vector<std::string>& args);
int tvdVerticalWords(const EvalContext& ctx, const std::vector<std::string>& args);
int checkStockInfo(const EvalContext& ctx, const std::vector<std::string>& args);
int checkBodyLength(const EvalContext& ctx, const std::vector<std::string>& args);

}  // namespace portcullis::content::evals
