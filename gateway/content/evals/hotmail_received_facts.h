// What HeaderEval.pm's _check_for_forged_hotmail_received_headers finds, shared by
// FORGED_HOTMAIL_RCVD and FORGED_HOTMAIL_RCVD2: a host claims a hotmail.com name in a
// Received header without Hotmail's own marks, or the From is @hotmail.com and no Received
// header shows Hotmail at all.
#pragma once
#include "gateway/content/evals/eval_context.h"

namespace portcullis::content::evals {

struct HotmailReceivedFacts {
  explicit HotmailReceivedFacts(const EvalContext& ctx);
  bool forgedHotmailReceived = false;
  bool hotmailAddressButNoHotmailReceived = false;
};

// HeaderEval.pm check_for_msn_groups_headers: a genuine MSN Groups list message.
bool isMsnGroupsMessage(const EvalContext& ctx);

}  // namespace portcullis::content::evals
