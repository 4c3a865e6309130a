// PerMsgStatus's all_to_addrs: the addresses a message is for. Resent-To / Resent-Cc (first
// instances) when present; otherwise the "for <addr>" of the three topmost Received headers,
// then To, Apparently-To, Delivered-To, Envelope-Recipients, Apparently-Resent-To,
// X-Envelope-To, Envelope-To, X-Delivered-To, X-Original-To, X-Rcpt-To, X-Real-To and Cc.
// Each address once, in that order.
#pragma once
#include <string>
#include <vector>

#include "gateway/content/evals/eval_context.h"

namespace portcullis::content::evals {

std::vector<std::string> allToAddresses(const EvalContext& ctx);

}  // namespace portcullis::content::evals
