// FORGED_HOTMAIL_RCVD2: From is @hotmail.com but no Received header shows Hotmail.
#include "gateway/content/evals/hotmail_received_facts.h"
#include "gateway/content/evals/relay_evals.h"

namespace portcullis::content::evals {

int checkForNoHotmailReceivedHeaders(const EvalContext& ctx, const EvalArgs& /*args*/) {
  return ctx.facts<HotmailReceivedFacts>().hotmailAddressButNoHotmailReceived ? 1 : 0;
}

}  // namespace portcullis::content::evals
