#include "gateway/smtp/utf8_address.h"

#include <cstdint>
#include <cstdio>
#include <utility>

namespace portcullis::smtp {

namespace {

std::string hexByte(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", c);
  return buf;
}

std::string codePoint(uint32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

}  // namespace

std::optional<std::string> utf8Problem(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto lead = static_cast<unsigned char>(s[i]);
    const std::string at = " at byte " + std::to_string(i + 1);
    if (lead < 0x80) {
      if (lead < 0x20 || lead == 0x7f) return "control character " + codePoint(lead) + at;
      ++i;
      continue;
    }
    size_t len = 0;
    uint32_t cp = 0;
    if (lead >= 0xc0 && lead <= 0xdf) {
      len = 2;
      cp = lead & 0x1f;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      len = 3;
      cp = lead & 0x0f;
    } else if (lead >= 0xf0 && lead <= 0xf7) {
      len = 4;
      cp = lead & 0x07;
    } else {
      return "invalid byte " + hexByte(lead) + at;  // a continuation byte, or 0xF8..0xFF
    }
    for (size_t k = 1; k < len; ++k) {
      if (i + k >= s.size()) return "truncated sequence" + at;
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xc0) != 0x80) return "truncated sequence" + at;
      cp = (cp << 6) | (c & 0x3f);
    }
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len]) return "overlong encoding" + at;
    if (cp >= 0xd800 && cp <= 0xdfff) return "UTF-16 surrogate " + codePoint(cp) + at;
    if (cp > 0x10ffff) return "code point above U+10FFFF" + at;
    if (cp >= 0x80 && cp <= 0x9f) return "control character " + codePoint(cp) + at;
    i += len;
  }
  return std::nullopt;
}

std::optional<core::Reply> checkSmtpUtf8Address(const core::Address& a) {
  const std::pair<std::string_view, const char*> parts[] = {{a.local, " of the local part"},
                                                            {a.domain, " of the domain"}};
  for (const auto& [text, where] : parts) {
    if (auto why = utf8Problem(text))
      return core::makeReply(
          553, "5.6.7",
          "Error: an SMTPUTF8 address must be UTF-8 without control characters: " + *why + where);
  }
  return std::nullopt;
}

}  // namespace portcullis::smtp
