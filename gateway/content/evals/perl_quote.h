// Perl's \Q...\E for the patterns evals build from message text: every ASCII character other
// than a letter, digit or underscore is escaped (bytes past ASCII are left as they are, which
// both regex engines take literally).
#pragma once
#include <cctype>
#include <string>
#include <string_view>

namespace portcullis::content::evals {

inline std::string perlQuote(std::string_view text) {
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x80 && !std::isalnum(u) && c != '_') {
      if (c == '\n') {
        out += "\\n";
        continue;
      }
      if (c == '\0') {
        out += "\\x00";
        continue;
      }
      out += '\\';
    }
    out += c;
  }
  return out;
}

}  // namespace portcullis::content::evals
