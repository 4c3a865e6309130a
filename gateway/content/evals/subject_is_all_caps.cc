// subject_is_all_caps (HeaderEval.pm): a subject of several words, ten characters or more,
// whose letters are all capitals - unless it is encoded in a charset whose text often looks
// like capitals once the letters are kept (Cyrillic, CJK: SpamAssassin's
// CHARSETS_LIKELY_TO_FP_AS_CAPS).
#include <array>
#include <cctype>
#include <string_view>

#include "gateway/content/evals/header_evals.h"

namespace portcullis::content::evals {
namespace {

bool isSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool startsWithCaseless(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

// Strips /^(?:(?:Re|Fwd|Fw|Aw|Antwort|WG|SV|VB|VS|VL):\s*)+/i (SpamAssassin bug 6805).
std::string_view stripReplyPrefixes(std::string_view s) {
  static constexpr std::array<std::string_view, 10> kPrefixes = {"re", "fwd", "fw", "aw", "antwort",
                                                                 "wg", "sv",  "vb", "vs", "vl"};
  for (bool stripped = true; stripped;) {
    stripped = false;
    for (std::string_view p : kPrefixes) {
      if (startsWithCaseless(s, p) && s.size() > p.size() && s[p.size()] == ':') {
        s.remove_prefix(p.size() + 1);
        while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
        stripped = true;
        break;
      }
    }
  }
  return s;
}

bool isCharsetChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

// /=\?[-_a-z0-9]*(?:koi|jp|jis|euc|gb|big5|isoir|cp1251|windows-1251|georgianps|pt154|tis)
// [-_a-z0-9]*\?/i: an encoded word whose charset name contains one of those.
bool encodedInCapsProneCharset(std::string_view raw) {
  static constexpr std::array<std::string_view, 12> kMarks = {
      "koi",   "jp",     "jis",          "euc",        "gb",    "big5",
      "isoir", "cp1251", "windows-1251", "georgianps", "pt154", "tis"};
  for (size_t at = raw.find("=?"); at != std::string_view::npos; at = raw.find("=?", at + 1)) {
    size_t end = at + 2;
    while (end < raw.size() && isCharsetChar(raw[end])) ++end;
    if (end >= raw.size() || raw[end] != '?') continue;
    std::string charset;
    for (size_t i = at + 2; i < end; ++i)
      charset += static_cast<char>(std::tolower(static_cast<unsigned char>(raw[i])));
    for (std::string_view mark : kMarks)
      if (charset.find(mark) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

int subjectIsAllCaps(const EvalContext& ctx, const EvalArgs& /*args*/) {
  std::string full = ctx.get("Subject");
  std::string_view subject = stripReplyPrefixes(trim(full));
  bool hasSpace = false;
  for (char c : subject) hasSpace |= isSpace(c);
  if (!hasSpace || subject.size() < 10) return 0;
  std::string letters;
  for (char c : subject)
    if (std::isalpha(static_cast<unsigned char>(c)) && static_cast<unsigned char>(c) < 0x80)
      letters += c;
  if (encodedInCapsProneCharset(ctx.get("Subject:raw"))) return 0;
  if (letters.empty()) return 0;
  for (char c : letters)
    if (std::islower(static_cast<unsigned char>(c))) return 0;
  return 1;
}

}  // namespace portcullis::content::evals
