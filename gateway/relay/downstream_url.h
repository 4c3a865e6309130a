// Parses a downstream URL: smtp://host:port, lmtp://host:port, lmtp:unix:/path, maildir:PATH.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace portcullis::relay {

struct DownstreamUrl {
  enum class Kind { Smtp, Lmtp, Maildir } kind = Kind::Maildir;
  std::string host;      // Smtp/Lmtp over TCP
  uint16_t port = 0;
  std::string unixPath;  // Lmtp over a UNIX socket
  std::string path;      // Maildir

  static std::optional<DownstreamUrl> parse(const std::string& url, std::string* why);
  std::string str() const;
};

}  // namespace portcullis::relay
