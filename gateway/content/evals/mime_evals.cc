// SpamAssassin's mime eval functions: the list of those implemented, one file each.
#include "gateway/content/evals/mime_evals.h"

#include "gateway/content/evals/eval_registry.h"

namespace portcullis::content::evals {

void registerMimeEvals(EvalRegistry& registry, const EvalSettings& /*settings*/) {
  registry.add("check_for_mime", checkForMime);
  registry.add("check_for_mime_html", checkForMimeHtml);
  registry.add("check_for_mime_html_only", checkForMimeHtmlOnly);
  registry.add("check_mime_multipart_ratio", checkMimeMultipartRatio);
  registry.add("check_msg_parse_flags", checkMsgParseFlags);
  registry.add("check_for_ascii_text_illegal", checkForAsciiTextIllegal);
  registry.add("check_abundant_unicode_ratio", checkAbundantUnicodeRatio);
  registry.add("check_for_faraway_charset", checkForFarawayCharset);
  registry.add("check_for_uppercase", checkForUppercase);
  registry.add("check_ma_non_text", checkMaNonText);
  registry.add("check_base64_length", checkBase64Length);
  registry.add("check_qp_ratio", checkQpRatio);
}

}  // namespace portcullis::content::evals
