// check_illegal_chars (HeaderEval.pm): the share of bytes RFC 2045 does not allow in a header
// (8-bit and C0 controls other than tab, LF, CR) in the raw field, unless the field is valid
// UTF-8 free of controls. Arguments: header (or ALL), minimum ratio, minimum count.
#include <cstdlib>
#include <string>

#include "gateway/content/evals/header_evals.h"

namespace portcullis::content::evals {
namespace {

bool isValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    int extra = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      extra = 1, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;
    for (int k = 1; k <= extra; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += extra + 1;
  }
  return true;
}

bool isC0Control(unsigned char c) {
  return c <= 0x08 || c == 0x0B || c == 0x0C || (c >= 0x0E && c <= 0x1F);
}

bool parseNumber(const std::string& s, double& out) {
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return !s.empty() && end && *end == '\0';
}

}  // namespace

int checkIllegalChars(const EvalContext& ctx, const EvalArgs& args) {
  if (args.size() < 3) return 0;
  double ratio = 0, count = 0;
  if (!parseNumber(args[1], ratio) || !parseNumber(args[2], count)) return 0;
  std::string header = args[0];
  if (!header.ends_with(":raw")) header += ":raw";
  std::string str = ctx.get(header);
  bool hasNonSpace = false;
  bool nonAscii = false;
  bool controls = false;
  for (char ch : str) {
    auto c = static_cast<unsigned char>(ch);
    hasNonSpace |= !(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v');
    nonAscii |= c >= 0x80;
    controls |= isC0Control(c);
  }
  if (!hasNonSpace) return 0;
  // Valid UTF-8 without controls is what an SMTPUTF8 sender writes.
  if (nonAscii && !controls && isValidUtf8(str)) return 0;

  long illegal = 0;
  long exempt = 0;
  for (char ch : str) {
    auto c = static_cast<unsigned char>(ch);
    if (isC0Control(c) || c >= 0x7F) ++illegal;
    if (c == 0xA2 || c == 0xA3 || c == 0xAE) ++exempt;
  }
  // A single cent, pound or registered sign is common enough in subjects to be let through.
  std::string lower;
  for (char c : header) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (illegal > 0 && lower == "subject:raw" && exempt == 1) --illegal;
  return static_cast<double>(illegal) / static_cast<double>(str.size()) >= ratio &&
                 static_cast<double>(illegal) >= count
             ? 1
             : 0;
}

}  // namespace portcullis::content::evals
