// Conversion of text in a declared charset to UTF-8 (glibc iconv). Unknown charsets and
// invalid sequences never fail: bytes that cannot be converted become U+FFFD.
#pragma once
#include <string>
#include <string_view>

namespace portcullis::mime {

struct Converted {
  std::string utf8;
  bool unknownCharset = false;
  bool invalidBytes = false;
};

Converted toUtf8(std::string_view bytes, std::string_view charset);
// Replaces invalid UTF-8 sequences with U+FFFD (for text that claims to be UTF-8 or ASCII).
std::string sanitizeUtf8(std::string_view bytes, bool* hadInvalid = nullptr);

}  // namespace portcullis::mime
