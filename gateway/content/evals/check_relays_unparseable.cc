// __UNPARSEABLE_RELAY_COUNT: some Received header names a relay the parser could not read.
#include "gateway/content/evals/relay_evals.h"

namespace portcullis::content::evals {

int checkRelaysUnparseable(const EvalContext& ctx, const EvalArgs& /*args*/) {
  return ctx.relays().unparseable > 0 ? 1 : 0;
}

}  // namespace portcullis::content::evals
