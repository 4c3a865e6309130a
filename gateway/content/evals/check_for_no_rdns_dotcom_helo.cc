// NO_RDNS_DOTCOM_HELO: the outermost public untrusted relay greeted as one of the big dot-coms
// (hotmail.com, aol.com, yahoo.com, ...) but has no reverse DNS at all - those providers keep
// their rDNS in order, spammers forging their names do not.
#include "gateway/content/evals/relay_evals.h"
#include "gateway/content/evals/relay_pattern.h"
#include "gateway/content/evals/relay_rdns.h"

namespace portcullis::content::evals {

int checkForNoRdnsDotcomHelo(const EvalContext& ctx, const EvalArgs& /*args*/) {
  static const RelayPattern dotcom(
      R"((?:\.|^)(lycos\.com|lycos\.co\.uk|hotmail\.com|localhost\.com|excite\.com|caramail\.com|cs\.com|aol\.com|msn\.com|yahoo\.com|drizzle\.com)$)",
      true);
  // RelayEval.pm resets the answer at every public relay, so the last one examined decides.
  bool hit = false;
  for (const auto& relay : ctx.relays().untrusted) {
    if (isSaPrivateIp(relay.ip)) continue;
    hit = dotcom.search(relay.helo) && knownToLackReverseDns(relay);
  }
  return hit ? 1 : 0;
}

}  // namespace portcullis::content::evals
