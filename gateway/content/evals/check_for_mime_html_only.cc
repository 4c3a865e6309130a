// check_for_mime_html_only: HTML parts and no other text part (MIME_HTML_ONLY).
#include "gateway/content/evals/mime_evals.h"
#include "gateway/content/evals/mime_facts.h"

namespace portcullis::content::evals {

int checkForMimeHtmlOnly(const EvalContext& ctx, const Args& /*args*/) {
  if (messageTypeIsHtml(ctx)) return 1;
  const auto& facts = ctx.facts<MimeFacts>();
  return facts.bodyHtmlCount > 0 && facts.bodyTextCount == 0 ? 1 : 0;
}

}  // namespace portcullis::content::evals
