// check_for_mime_html: the message is HTML, or has an HTML part.
#include "gateway/content/evals/mime_evals.h"
#include "gateway/content/evals/mime_facts.h"

namespace portcullis::content::evals {

namespace {
bool startsWithTextHtml(std::string_view value) {
  constexpr std::string_view prefix = "text/html";
  if (value.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = value[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}
}  // namespace

bool messageTypeIsHtml(const EvalContext& ctx) {
  return startsWithTextHtml(ctx.get("Content-Type"));
}

int checkForMimeHtml(const EvalContext& ctx, const Args& /*args*/) {
  if (messageTypeIsHtml(ctx)) return 1;
  return ctx.facts<MimeFacts>().bodyHtmlCount > 0 ? 1 : 0;
}

}  // namespace portcullis::content::evals
