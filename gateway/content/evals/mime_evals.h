// SpamAssassin's MIMEEval.pm functions (one file each), over MimeFacts.
#pragma once
#include <string>
#include <vector>

#include "gateway/content/evals/eval_context.h"

namespace portcullis::content::evals {

using Args = std::vector<std::string>;

int checkForMime(const EvalContext& ctx, const Args& args);
int checkForMimeHtml(const EvalContext& ctx, const Args& args);
int checkForMimeHtmlOnly(const EvalContext& ctx, const Args& args);
int checkMimeMultipartRatio(const EvalContext& ctx, const Args& args);
int checkMsgParseFlags(const EvalContext& ctx, const Args& args);
int checkForAsciiTextIllegal(const EvalContext& ctx, const Args& args);
int checkAbundantUnicodeRatio(const EvalContext& ctx, const Args& args);
int checkForFarawayCharset(const EvalContext& ctx, const Args& args);
int checkForUppercase(const EvalContext& ctx, const Args& args);
int checkMaNonText(const EvalContext& ctx, const Args& args);
int checkBase64Length(const EvalContext& ctx, const Args& args);
int checkQpRatio(const EvalContext& ctx, const Args& args);

// check_for_mime_html(_only): the message itself is text/html.
bool messageTypeIsHtml(const EvalContext& ctx);

// MIMEEval's get_charset_from_ct_line: the charset a Content-Type value names, "" for none.
std::string charsetFromContentTypeLine(std::string_view value, bool* found = nullptr);

}  // namespace portcullis::content::evals
