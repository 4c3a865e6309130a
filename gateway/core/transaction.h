// What is known about one connection (SessionInfo) and one message in it (Transaction).
// Front doors fill these in; checks only read them. RSET and end of message end the
// transaction, never the session; connection-stage results carry into every transaction.
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/address.h"
#include "gateway/core/ip_address.h"
#include "gateway/core/policy.h"
#include "gateway/core/verdict.h"

namespace portcullis::core {

struct TlsInfo {
  bool active = false;
  std::string version;
  std::string cipher;
};

struct SessionInfo {
  std::string id;
  std::optional<IpAddress> clientIp;  // absent for `scan` without --client-ip
  uint16_t clientPort = 0;
  std::string clientName = "unknown";  // verified reverse DNS name, once a resolver provides it
  std::string helo;
  bool esmtp = false;
  TlsInfo tls;
  bool allowlisted = false;
  Verdict connectVerdict;  // symbols from the connect and helo stages
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

  std::string clientAddressText() const { return clientIp ? clientIp->str() : "unknown"; }
};

struct Recipient {
  Address address;
  Reply reply;  // what the client was told
};

struct Transaction {
  std::string id;
  Address mailFrom;
  std::optional<uint64_t> declaredSize;
  bool body8bit = false;
  bool smtputf8 = false;
  std::vector<Recipient> recipients;  // accepted ones only
  std::shared_ptr<const Policy> policy;  // set by the first accepted recipient
  std::string message;  // the message as received: dot-unstuffed, CRLF line ends
  Verdict verdict;      // mail/rcpt/data stage symbols
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

}  // namespace portcullis::core
