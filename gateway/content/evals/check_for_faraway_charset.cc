// check_for_faraway_charset: the message's charset is outside ok_locales and most of the body
// is 8-bit.
#include <cctype>
#include <optional>

#include "gateway/content/evals/mime_evals.h"
#include "gateway/content/evals/mime_facts.h"

namespace portcullis::content::evals {

std::string charsetFromContentTypeLine(std::string_view value, bool* found) {
  // /charset="([^"]+)"/i, then /charset='([^']+)'/i, then /charset=(\S+)/i.
  std::string lowered(value);
  for (char& c : lowered)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  auto attempt = [&](char quote) -> std::optional<std::string> {
    for (size_t at = lowered.find("charset="); at != std::string::npos;
         at = lowered.find("charset=", at + 1)) {
      size_t start = at + 8;
      if (quote) {
        if (start >= value.size() || value[start] != quote) continue;
        size_t end = value.find(quote, start + 1);
        if (end == std::string_view::npos || end == start + 1) continue;
        return std::string(value.substr(start + 1, end - start - 1));
      }
      size_t end = start;
      while (end < value.size() && !std::isspace(static_cast<unsigned char>(value[end]))) ++end;
      if (end > start) return std::string(value.substr(start, end - start));
    }
    return std::nullopt;
  };
  for (char quote : {'"', '\'', '\0'}) {
    if (auto charset = attempt(quote)) {
      if (found) *found = true;
      return *charset;
    }
  }
  if (found) *found = false;
  return {};
}

int checkForFarawayCharset(const EvalContext& ctx, const Args& /*args*/) {
  const std::vector<std::string> locales = okLocales(ctx.settings());
  for (const auto& locale : locales)
    if (locale == "all") return 0;
  bool found = false;
  std::string charset = charsetFromContentTypeLine(ctx.get("Content-Type"), &found);
  if (!found || isCharsetOkForLocales(charset, locales)) return 0;
  // are_more_high_bits_set over the body lines joined by newlines.
  size_t high = 0;
  size_t length = 0;
  const auto& body = ctx.text().body();
  for (size_t i = 0; i < body.size(); ++i) {
    if (i) ++length;
    length += body[i].size();
    for (char c : body[i])
      if (static_cast<unsigned char>(c) >= 0x80) ++high;
  }
  size_t low = length - high;
  return low <= high && high > 3 ? 1 : 0;
}

}  // namespace portcullis::content::evals
