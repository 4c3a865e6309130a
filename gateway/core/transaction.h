// What is known about one connection (SessionInfo) and one message in it (Transaction).
// Front doors fill these in; checks only read them. RSET and end of message end the
// transaction, never the session; connection-stage results carry into every transaction.
#pragma once
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/address.h"
#include "gateway/core/ip_address.h"
#include "gateway/core/policy.h"
#include "gateway/core/verdict.h"
#include "gateway/mime/message.h"

namespace portcullis::core {

struct TlsInfo {
  bool active = false;
  std::string version;
  std::string cipher;
};

// Which door a session came through; the checks are the same, a few decisions are not (relay
// control belongs to the MTA behind the milter door).
enum class FrontDoor { Smtp, Milter, Scan };

struct SessionInfo {
  std::string id;
  FrontDoor frontDoor = FrontDoor::Smtp;
  std::optional<IpAddress> clientIp;  // absent for `scan` without --client-ip
  uint16_t clientPort = 0;
  std::string clientName = "unknown";  // forward-confirmed reverse DNS name (the firewall's)
  std::string iprev;                   // RFC 8601 iprev result, empty when not checked
  std::optional<IpAddress> serverIp;   // the address the client connected to
  std::string helo;
  bool esmtp = false;
  TlsInfo tls;
  bool allowlisted = false;
  Verdict connectVerdict;  // symbols from the connect and helo stages
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

  std::string clientAddressText() const { return clientIp ? clientIp->str() : "unknown"; }
  // Software on this machine: it connected from the address it connected to.
  bool sameHost() const {
    return clientIp && serverIp && clientIp->unmapped() == serverIp->unmapped();
  }
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
  std::vector<Recipient> recipients;     // accepted ones only
  std::shared_ptr<const Policy> policy;  // set by the first accepted recipient
  std::string message;                   // the message as received: dot-unstuffed, CRLF line ends
  Verdict verdict;                       // mail/rcpt/data stage symbols
  // Facts the data-stage checks proved (StageOutcome::facts), for the verdict stage.
  std::map<std::string, std::vector<std::string>> facts;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

  // The parsed MIME view, made on first use and shared by every data-stage check. A transaction
  // lives on one thread, so no locking.
  const mime::Message& mimeView(const mime::Limits& limits = {}) const {
    if (!mime_) mime_ = std::make_shared<const mime::Message>(mime::parseMessage(message, limits));
    return *mime_;
  }

 private:
  mutable std::shared_ptr<const mime::Message> mime_;
};

}  // namespace portcullis::core
