// __FORGED_HOTMAIL_RCVD: a Received header claims a hotmail.com host without Hotmail's marks.
#include "gateway/content/evals/hotmail_received_facts.h"
#include "gateway/content/evals/relay_evals.h"

namespace portcullis::content::evals {

int checkForForgedHotmailReceivedHeaders(const EvalContext& ctx, const EvalArgs& /*args*/) {
  return ctx.facts<HotmailReceivedFacts>().forgedHotmailReceived ? 1 : 0;
}

}  // namespace portcullis::content::evals
