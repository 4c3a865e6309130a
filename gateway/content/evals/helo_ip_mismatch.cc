// RCVD_HELO_IP_MISMATCH: an untrusted relay greeted with a public IPv4 address outside the
// /24 of the public address it connected from.
#include "gateway/content/evals/relay_evals.h"
#include "gateway/content/evals/relay_pattern.h"

namespace portcullis::content::evals {

int heloIpMismatch(const EvalContext& ctx, const EvalArgs& /*args*/) {
  for (const auto& relay : ctx.relays().untrusted) {
    if (!isSaIpv4Address(relay.helo) || isSaPrivateIp(relay.helo)) continue;
    if (!isSaIpv4Address(relay.ip) || isSaPrivateIp(relay.ip) || relay.helo == relay.ip) continue;
    // The HELO's first three octets with the dot: a different address in the same /24 is fine.
    std::string prefix = relay.helo.substr(0, relay.helo.rfind('.') + 1);
    if (!relay.ip.starts_with(prefix)) return 1;
  }
  return 0;
}

}  // namespace portcullis::content::evals
