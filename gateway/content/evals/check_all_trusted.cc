// ALL_TRUSTED: every relay the message passed is trusted, and none was unparseable.
#include "gateway/content/evals/relay_evals.h"

namespace portcullis::content::evals {

int checkAllTrusted(const EvalContext& ctx, const EvalArgs& /*args*/) {
  const auto& path = ctx.relays();
  return !path.trusted.empty() && path.untrusted.empty() && path.unparseable == 0 ? 1 : 0;
}

}  // namespace portcullis::content::evals
