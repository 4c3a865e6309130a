// Small text helpers shared by core, checks and the front doors.
#pragma once
#include <string>
#include <string_view>

namespace portcullis::core {

// ASCII lower-casing (domains, keywords); other bytes are kept.
inline std::string lowerAscii(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Replaces control characters (CR and LF included) and DEL by '?', so that text from a client,
// a downstream or a config can never start a new protocol line, header or log line.
inline std::string withoutControls(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) out.push_back((c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c));
  return out;
}

// At most `max` bytes of what a client sent, for a log line or a symbol's reason: controls
// replaced as above, "..." when cut.
inline std::string logExcerpt(std::string_view s, size_t max) {
  return withoutControls(s.substr(0, max)) + (s.size() > max ? "..." : "");
}

}  // namespace portcullis::core
