// How the gateway talks to its downstream.
#pragma once
#include <chrono>
#include <cstddef>
#include <string>

namespace portcullis::relay {

enum class DownstreamTls { Off, Opportunistic, Require };

struct RelaySettings {
  std::chrono::milliseconds connectTimeout{30'000};
  std::chrono::milliseconds commandTimeout{300'000};
  std::chrono::milliseconds dataTimeout{600'000};  // sending the message and its final reply
  DownstreamTls tls = DownstreamTls::Off;
  bool tlsVerify = true;
  std::string tlsCaFile;  // empty: the system store
  std::string tlsName;    // name to verify and send as SNI; default: the downstream URL's host
  bool xclient = false;   // tell a Postfix downstream who the real client is (per connection)
  bool xforward = false;  // the same for logging only (per transaction)
  std::string heloName;   // EHLO/LHLO name; the gateway's hostname when empty
  // LMTP answers per recipient after DATA; SMTP gives the client one answer. With one
  // recipient per transaction the answer is exact; more may cause duplicates on partial failure.
  size_t lmtpMaxRecipients = 1;
};

}  // namespace portcullis::relay
