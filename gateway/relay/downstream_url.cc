#include "gateway/relay/downstream_url.h"

#include <charconv>

namespace portcullis::relay {

namespace {
bool parseHostPort(std::string_view hp, std::string& host, uint16_t& port, std::string* why) {
  size_t colon;
  if (!hp.empty() && hp.front() == '[') {  // [::1]:25
    auto close = hp.find(']');
    if (close == std::string_view::npos) return *why = "unterminated '[' in host", false;
    host = std::string(hp.substr(1, close - 1));
    colon = close + 1;
    if (colon >= hp.size() || hp[colon] != ':') return *why = "missing :port", false;
  } else {
    colon = hp.rfind(':');
    if (colon == std::string_view::npos) return *why = "missing :port", false;
    host = std::string(hp.substr(0, colon));
  }
  auto p = hp.substr(colon + 1);
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  if (ec != std::errc() || ptr != p.data() + p.size() || value == 0 || value > 65535)
    return *why = "bad port '" + std::string(p) + "'", false;
  if (host.empty()) return *why = "empty host", false;
  port = static_cast<uint16_t>(value);
  return true;
}
}  // namespace

std::optional<DownstreamUrl> DownstreamUrl::parse(const std::string& url, std::string* why) {
  std::string ignored;
  if (!why) why = &ignored;
  DownstreamUrl u;
  std::string_view s = url;
  if (s.starts_with("smtp://") || s.starts_with("lmtp://")) {
    u.kind = s.starts_with("smtp") ? Kind::Smtp : Kind::Lmtp;
    s.remove_prefix(7);
    while (!s.empty() && s.back() == '/') s.remove_suffix(1);
    if (!parseHostPort(s, u.host, u.port, why)) return std::nullopt;
    return u;
  }
  if (s.starts_with("lmtp:unix:")) {
    u.kind = Kind::Lmtp;
    u.unixPath = std::string(s.substr(10));
    if (u.unixPath.empty()) return *why = "empty socket path", std::nullopt;
    return u;
  }
  if (s.starts_with("maildir:")) {
    u.kind = Kind::Maildir;
    u.path = std::string(s.substr(8));
    if (u.path.empty()) return *why = "empty maildir path", std::nullopt;
    return u;
  }
  *why = "expected smtp://host:port, lmtp://host:port, lmtp:unix:/path or maildir:PATH";
  return std::nullopt;
}

std::string DownstreamUrl::str() const {
  switch (kind) {
    case Kind::Smtp: return "smtp://" + host + ":" + std::to_string(port);
    case Kind::Lmtp:
      return unixPath.empty() ? "lmtp://" + host + ":" + std::to_string(port) : "lmtp:unix:" + unixPath;
    case Kind::Maildir: return "maildir:" + path;
  }
  return "";
}

}  // namespace portcullis::relay
