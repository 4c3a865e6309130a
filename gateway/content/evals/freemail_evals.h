// SpamAssassin's FreeMail.pm eval functions, one file each, over the rule set's freemail
// configuration (parsed once when the registry is built).
#pragma once
#include <string>
#include <vector>

#include "gateway/content/evals/eval_context.h"
#include "gateway/content/evals/freemail_config.h"

namespace portcullis::content::evals {

int checkFreemailFrom(const FreemailConfig& config, const EvalContext& ctx,
                      const std::vector<std::string>& args);
int checkFreemailHeader(const FreemailConfig& config, const EvalContext& ctx,
                        const std::vector<std::string>& args);
int checkFreemailReplyto(const FreemailConfig& config, const EvalContext& ctx,
                         const std::vector<std::string>& args);
int checkFreemailBody(const FreemailConfig& config, const EvalContext& ctx,
                      const std::vector<std::string>& args);

// The lower-cased addresses of a header (list context get("<header>:addr")).
std::vector<std::string> lowerAddresses(const EvalContext& ctx, const std::string& header);

}  // namespace portcullis::content::evals
