// __FORGED_AOL_RCVD: a Received header names an AOL-style relay host (rly-xx01.) without the
// marks AOL's own relays leave (an AOL sendmail version, AOL's queue id style).
#include "gateway/content/evals/relay_evals.h"
#include "gateway/content/evals/relay_pattern.h"

namespace portcullis::content::evals {

int checkForFakeAolRelayInRcvd(const EvalContext& ctx, const EvalArgs& /*args*/) {
  static const RelayPattern aolRelayName(R"( rly-[a-z][a-z]\d\d\.)", true);
  static const RelayPattern aolSendmail(R"(/AOL-\d+\.\d+\.\d+\))");
  static const RelayPattern aolQueueId(R"(ESMTP id (?:RELAY|MAILRELAY|MAILIN))");
  std::string received = squashWhitespace(ctx.get("Received"));
  if (!aolRelayName.search(received)) return 0;
  if (aolSendmail.search(received) || aolQueueId.search(received)) return 0;
  return 1;
}

}  // namespace portcullis::content::evals
