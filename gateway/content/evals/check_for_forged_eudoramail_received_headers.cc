// __FORGED_EUDORAMAIL_RCVD: From is @eudoramail.com but the message lacks the whowhere.com
// Received line and X-Sender-Ip that Eudora's web mail wrote.
#include "gateway/content/evals/relay_envelope_from.h"
#include "gateway/content/evals/relay_evals.h"
#include "gateway/content/evals/relay_pattern.h"

namespace portcullis::content::evals {

int checkForForgedEudoramailReceivedHeaders(const EvalContext& ctx, const EvalArgs& /*args*/) {
  static const RelayPattern eudoraAddress(R"(\beudoramail\.com$)", true);
  if (!eudoraAddress.search(firstAddress(ctx, "From"))) return 0;
  std::string received = squashWhitespace(ctx.get("Received"));
  static const RelayPattern ipAddress(kSaIpAddress);
  bool ip = !ctx.getAll("X-Sender-Ip").empty() && ipAddress.search(ctx.get("X-Sender-Ip"));
  if (gatedThroughReceivedHdrRemover(ctx, {})) return 0;
  static const RelayPattern whowhere(R"(by \S*whowhere.com\;)");
  if (ip && whowhere.search(received)) return 0;
  return 1;
}

}  // namespace portcullis::content::evals
