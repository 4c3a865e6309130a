// NO_RELAYS: no Received header named a relay, and none was unparseable (a message written
// locally, or one whose headers were stripped).
#include "gateway/content/evals/relay_evals.h"

namespace portcullis::content::evals {

int checkNoRelays(const EvalContext& ctx, const EvalArgs& /*args*/) {
  const auto& path = ctx.relays();
  return path.trusted.empty() && path.untrusted.empty() && path.unparseable == 0 ? 1 : 0;
}

}  // namespace portcullis::content::evals
