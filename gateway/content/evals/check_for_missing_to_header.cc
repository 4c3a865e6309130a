// check_for_missing_to_header (HeaderEval.pm): neither To nor Apparently-To has a value.
#include "gateway/content/evals/header_evals.h"

namespace portcullis::content::evals {

int checkForMissingToHeader(const EvalContext& ctx, const EvalArgs& /*args*/) {
  if (!ctx.get("To").empty()) return 0;
  return ctx.get("Apparently-To").empty() ? 1 : 0;
}

}  // namespace portcullis::content::evals
