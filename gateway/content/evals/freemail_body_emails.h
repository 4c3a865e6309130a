// The free mail addresses written in a message's body (FreeMail.pm _parse_body), computed once
// per message: the addresses found in the rendered text - leaving out those inside a URL and
// those labelled like "name@example.com web:" - and kept only while the body has fewer than
// freemail_max_body_emails addresses and freemail_max_body_freemails free ones.
#pragma once
#include <optional>
#include <set>
#include <string>

#include "gateway/content/evals/eval_context.h"
#include "gateway/content/evals/freemail_config.h"

namespace portcullis::content::evals {

// Nothing when the body had too many addresses (the body tests are skipped then).
const std::optional<std::set<std::string>>& freemailBodyEmails(const FreemailConfig& config,
                                                               const EvalContext& ctx);

}  // namespace portcullis::content::evals
