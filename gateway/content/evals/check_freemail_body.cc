// check_freemail_body (FreeMail.pm): the body gives a free mail address (one matching the
// optional regex).
#include "gateway/content/evals/freemail_body_emails.h"
#include "gateway/content/evals/freemail_evals.h"

namespace portcullis::content::evals {

int checkFreemailBody(const FreemailConfig& config, const EvalContext& ctx,
                      const std::vector<std::string>& args) {
  if (!config.available()) return 0;
  const auto& emails = freemailBodyEmails(config, ctx);
  if (!emails) return 0;
  if (args.empty()) return emails->empty() ? 0 : 1;
  auto re = PcrePattern::ofRuleArgument(args[0], false);
  if (!re) return 0;
  for (const std::string& email : *emails)
    if (re->search(email)) return 1;
  return 0;
}

}  // namespace portcullis::content::evals
