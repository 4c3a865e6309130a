// check_freemail_replyto (FreeMail.pm): replies go to a different free mail address than the
// sender's. 'replyto': From and Reply-To are different freemails, or Reply-To is a freemail
// and the body gives another. 'reply': the same, or with no Reply-To a freemail From and a
// different freemail in the body. Skipped when the envelope sender looks like a list.
#include <algorithm>

#include "gateway/content/evals/freemail_body_emails.h"
#include "gateway/content/evals/freemail_evals.h"

namespace portcullis::content::evals {

int checkFreemailReplyto(const FreemailConfig& config, const EvalContext& ctx,
                         const std::vector<std::string>& args) {
  if (!config.available()) return 0;
  std::string what = args.empty() ? "replyto" : args[0];
  if (what != "replyto" && what != "reply") return 0;
  if (config.skipBulkEnvelopeFrom()) {
    std::vector<std::string> envfrom = ctx.getAll("EnvelopeFrom");
    if (!envfrom.empty() && config.looksBulk(envfrom.front())) return 0;
  }
  std::vector<std::string> from = lowerAddresses(ctx, "From");
  std::vector<std::string> replyto = lowerAddresses(ctx, "Reply-To");
  auto free = [&](const std::string& e) { return config.isFreemail(e); };
  bool fromIsFree = std::any_of(from.begin(), from.end(), free);
  bool replytoIsFree = std::any_of(replyto.begin(), replyto.end(), free);
  bool fromNotInReplyto = std::none_of(from.begin(), from.end(), [&](const std::string& f) {
    return std::find(replyto.begin(), replyto.end(), f) != replyto.end();
  });
  if (fromIsFree && replytoIsFree && fromNotInReplyto) return 1;

  if (what == "replyto") {
    if (!replytoIsFree) return 0;
  } else if (!replyto.empty() && !replytoIsFree) {
    return 0;
  } else if (!fromIsFree) {
    return 0;
  }
  const auto& body = freemailBodyEmails(config, ctx);
  if (!body) return 0;
  const std::vector<std::string>& reply =
      what == "replyto" ? replyto : (replytoIsFree ? replyto : from);
  for (const std::string& bodyEmail : *body)
    for (const std::string& replyEmail : reply)
      if (bodyEmail != replyEmail) return 1;
  return 0;
}

}  // namespace portcullis::content::evals
