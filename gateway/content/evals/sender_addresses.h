// PerMsgStatus's all_from_addrs: the addresses a message claims to be from. Resent-From (its
// first instance) when present; otherwise From, Envelope-Sender, Resent-Sender,
// X-Envelope-From and the envelope sender, with runs of dots squeezed ("foo@bar..com").
// Each address once, not lower-cased.
#pragma once
#include <string>
#include <vector>

#include "gateway/content/evals/eval_context.h"

namespace portcullis::content::evals {

std::vector<std::string> allFromAddresses(const EvalContext& ctx);

}  // namespace portcullis::content::evals
