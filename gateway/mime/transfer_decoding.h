// Content-Transfer-Encoding decoders (RFC 2045 6.7, 6.8). Tolerant: bad input is decoded as
// well as it can be and reported, never rejected.
#pragma once
#include <string>
#include <string_view>

namespace portcullis::mime {

struct Decoded {
  std::string bytes;
  bool malformed = false;  // characters outside the alphabet, bad padding, broken soft breaks
};

Decoded decodeBase64(std::string_view in);
// `header` selects the RFC 2047 "Q" variant, where '_' is a space.
Decoded decodeQuotedPrintable(std::string_view in, bool header = false);
// The value of a hex digit, -1 for anything else.
int hexValue(char c);

}  // namespace portcullis::mime
