#include "gateway/mime/transfer_decoding.h"

#include <array>

namespace portcullis::mime {

namespace {
constexpr std::array<int8_t, 256> makeTable() {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(alphabet[i])] = static_cast<int8_t>(i);
  return t;
}
constexpr auto kBase64 = makeTable();

}  // namespace

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;  // lower case is not canonical but common
  return -1;
}

Decoded decodeBase64(std::string_view in) {
  Decoded out;
  out.bytes.reserve(in.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  bool padding = false;
  for (unsigned char c : in) {
    if (c == '\r' || c == '\n' || c == ' ' || c == '\t') continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    int8_t v = kBase64[c];
    if (v < 0) {
      out.malformed = true;  // RFC 2045: ignore characters outside the alphabet
      continue;
    }
    if (padding) out.malformed = true;  // data after padding: keep decoding, as mail clients do
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.bytes.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if (bits >= 6) out.malformed = true;  // a lone trailing character
  return out;
}

Decoded decodeQuotedPrintable(std::string_view in, bool header) {
  Decoded out;
  out.bytes.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '_' && header) {
      out.bytes.push_back(' ');
    } else if (c == '=') {
      // Soft line break: "=" followed by optional whitespace and a line end.
      size_t j = i + 1;
      while (j < in.size() && (in[j] == ' ' || in[j] == '\t')) ++j;
      if (j < in.size() && (in[j] == '\r' || in[j] == '\n')) {
        if (in[j] == '\r' && j + 1 < in.size() && in[j + 1] == '\n') ++j;
        i = j;
        continue;
      }
      if (j == in.size()) {  // "=" at the very end: a soft break without a line end
        i = j;
        continue;
      }
      int hi = i + 1 < in.size() ? hexValue(in[i + 1]) : -1;
      int lo = i + 2 < in.size() ? hexValue(in[i + 2]) : -1;
      if (hi >= 0 && lo >= 0) {
        out.bytes.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
      } else {
        out.malformed = true;
        out.bytes.push_back('=');  // RFC 2045 6.7 note 1: keep it literally
      }
    } else {
      out.bytes.push_back(c);
    }
  }
  return out;
}

}  // namespace portcullis::mime
