// check_for_numeric_helo: the first untrusted relay that greeted with an IPv4 address used a
// public one (no stock rule calls it; kept for local rules that do).
#include "gateway/content/evals/relay_evals.h"
#include "gateway/content/evals/relay_pattern.h"

namespace portcullis::content::evals {

int checkForNumericHelo(const EvalContext& ctx, const EvalArgs& /*args*/) {
  // RelayEval.pm matches /\bhelo=(IPv4)(?=[\000-\040,;\[()<>]|\z)/ against the untrusted relays
  // written out as text; the first relay whose HELO starts so decides.
  static const RelayPattern numeric(
      R"(^((?:1\d\d|2[0-4]\d|25[0-5]|[1-9]\d|\d)(?:\.(?:1\d\d|2[0-4]\d|25[0-5]|[1-9]\d|\d)){3})(?:[\x00-\x20,;\[()<>]|$))");
  for (const auto& relay : ctx.relays().untrusted) {
    if (!numeric.search(relay.helo)) continue;
    size_t end = relay.helo.find_first_not_of("0123456789.");
    std::string address = relay.helo.substr(0, end);
    // The dotted quad without whatever delimiter followed it.
    while (!isSaIpv4Address(address) && !address.empty()) address.pop_back();
    return isSaPrivateIp(address) ? 0 : 1;
  }
  return 0;
}

}  // namespace portcullis::content::evals
