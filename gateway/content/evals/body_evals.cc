// SpamAssassin's body eval functions: the list of those implemented, one file each.
#include "gateway/content/evals/body_evals.h"

#include "gateway/content/evals/eval_registry.h"

namespace portcullis::content::evals {

void registerBodyEvals(EvalRegistry& registry, const EvalSettings& /*settings*/) {
  registry.add("multipart_alternative_difference", multipartAlternativeDifference);
  registry.add("multipart_alternative_difference_count", multipartAlternativeDifferenceCount);
  registry.add("check_blank_line_ratio", checkBlankLineRatio);
  registry.add("tvd_vertical_words", tvdVerticalWords);
  registry.add("check_stock_info", checkStockInfo);
  registry.add("check_body_length", checkBodyLength);
}

}  // namespace portcullis::content::evals
