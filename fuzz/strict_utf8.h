// A second, independent idea of an acceptable SMTPUTF8 address text, for the fuzzers to hold
// smtp::utf8Problem to: strict UTF-8 is exactly what survives decoding by the lead byte's length
// and re-encoding canonically, with no surrogate, nothing past U+10FFFF and no C0/C1 control.
#pragma once
#include <cstdint>
#include <string_view>

namespace portcullis::fuzz {

inline bool strictUtf8WithoutControls(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    uint32_t cp = n == 1 ? c : c & (0x7fu >> n);
    for (size_t k = 1; k < n; ++k) {
      const auto t = static_cast<unsigned char>(s[i + k]);
      if ((t & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (t & 0x3f);
    }
    const size_t canonical = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (canonical != n || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp < 0x20 ||
        (cp >= 0x7f && cp <= 0x9f))
      return false;
    i += n;
  }
  return true;
}

}  // namespace portcullis::fuzz
