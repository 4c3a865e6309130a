// check_for_sender_no_reverse: RelayEval.pm's test on the outermost untrusted relay, kept
// under its name for local rules (no stock rule calls it). Its Perl fires when that relay's
// rDNS has a dot and its address is public, and this does the same.
#include "gateway/content/evals/relay_evals.h"
#include "gateway/content/evals/relay_pattern.h"

namespace portcullis::content::evals {

int checkForSenderNoReverse(const EvalContext& ctx, const EvalArgs& /*args*/) {
  const auto& untrusted = ctx.relays().untrusted;
  if (untrusted.empty()) return 0;
  const auto& sender = untrusted.back();
  if (sender.rdns.find('.') == std::string::npos) return 0;
  return isSaPrivateIp(sender.ip) ? 0 : 1;
}

}  // namespace portcullis::content::evals
