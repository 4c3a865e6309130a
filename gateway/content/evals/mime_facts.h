// What SpamAssassin's MIMEEval::_check_attachments learns in one pass over the message's parts
// (the pms->{mime_*} values check_for_mime and its siblings read), plus the part tree it walks.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/content/evals/mime_sa_parts.h"

namespace portcullis::content::evals {

class EvalContext;
class EvalSettings;

// Locales.pm: is this charset expected from senders writing in `locales` (ok_locales)?
bool isCharsetOkForLocales(std::string_view charset, const std::vector<std::string>& locales);
// The ok_locales setting as a word list ("all" when the rule files never set it).
std::vector<std::string> okLocales(const EvalSettings& settings);

struct MimeFacts {
  explicit MimeFacts(const EvalContext& ctx);

  SaMimeTree tree;
  int base64Count = 0;
  bool base64EncodedText = false;
  int bodyHtmlCount = 0;
  int bodyTextCount = 0;
  bool farawayCharset = false;
  bool missingBoundary = false;
  bool multipartAlternative = false;
  double multipartRatio = 1.0;
  int qpCount = 0;  // parts first, then (when any QP bytes) encoded characters, as SpamAssassin
  bool qpLongLine = false;
  double qpRatio = 0;
  int asciiTextIllegal = 0;
  double textUnicodeRatio = 0;
  int attachment = 0;
  bool badIsoCharset = false;
  std::vector<std::string> charsets;  // pms->{mime_html_charsets}: every charset with a letter

  // check_for_mime's names (mime_base64_count, ...): the value as a truth, false when unknown.
  bool flag(std::string_view name) const;
};

}  // namespace portcullis::content::evals
