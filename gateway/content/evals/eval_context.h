// What an eval function sees of one message: the raw text, the MIME tree, the texts rules read
// (SpamAssassin's get()), the relay path, the envelope and session when a front door saw them,
// and the rule files' settings. Facts several evals share (the HTML statistics, the images)
// are computed on first use and kept for the rest of the message.
#pragma once
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <typeindex>
#include <unordered_map>
#include <vector>

#include "gateway/content/evals/dns_lookups.h"
#include "gateway/content/evals/eval_settings.h"
#include "gateway/content/relays/relay.h"
#include "gateway/content/sa_text.h"
#include "gateway/core/ip_address.h"
#include "gateway/mime/message.h"

namespace portcullis::content::evals {

// What the front door knew about the transaction (all optional: a file scan may know nothing).
struct Envelope {
  std::optional<std::string> mailFrom;  // "" for the null sender
  std::vector<std::string> recipients;
  std::optional<core::IpAddress> clientIp;
  std::string clientName;  // forward-confirmed rDNS, "" when none
  std::string helo;
  bool authenticated = false;
  std::string authMechanism;  // SMTP AUTH mechanism when authenticated
  std::string receivedBy;     // our host name, as our Received line names it
  // The milter door: the MTA's own Received line (on top) describes the hop the client made.
  bool milter = false;
  // What checks before the content rules proved ("spf.pass", "dkim.pass", "dmarc.pass").
  std::map<std::string, std::vector<std::string>> facts;
};

class EvalContext {
 public:
  EvalContext(std::string_view raw, const mime::Message& message, const SaMessageText& text,
              const relays::RelayPath& relays, const EvalSettings& settings, Envelope envelope,
              std::chrono::system_clock::time_point now = std::chrono::system_clock::now())
      : raw_(raw),
        message_(message),
        text_(text),
        relays_(relays),
        settings_(settings),
        envelope_(std::move(envelope)),
        now_(now) {}

  std::string_view raw() const { return raw_; }
  const mime::Message& message() const { return message_; }
  const SaMessageText& text() const { return text_; }
  const relays::RelayPath& relays() const { return relays_; }
  const EvalSettings& settings() const { return settings_; }
  const Envelope& envelope() const { return envelope_; }
  // "Now" for date tests (fixed per message, and settable in tests).
  std::chrono::system_clock::time_point now() const { return now_; }

  // The answers to the network evals' lookups; null when none were made (network tests off,
  // no resolver): network evals then do not hit.
  const DnsResults* dns() const { return dns_; }
  void setDns(const DnsResults* results) { dns_ = results; }

  // SpamAssassin's $pms->get($request) in scalar context: every instance joined, decoded
  // unless :raw; "" when absent. `request` is e.g. "From", "From:addr", "ToCc", "Subject:raw".
  std::string get(std::string_view request) const;
  // The same, one entry per header instance (list context).
  std::vector<std::string> getAll(std::string_view request) const;

  // Facts shared by several evals, computed once per message: `Facts` has a constructor
  // `explicit Facts(const EvalContext&)`.
  template <class Facts>
  const Facts& facts() const {
    auto it = facts_.find(std::type_index(typeid(Facts)));
    if (it == facts_.end())
      it = facts_.emplace(std::type_index(typeid(Facts)), std::make_shared<Facts>(*this)).first;
    return *static_cast<const Facts*>(it->second.get());
  }

 private:
  std::string_view raw_;
  const mime::Message& message_;
  const SaMessageText& text_;
  const relays::RelayPath& relays_;
  const EvalSettings& settings_;
  Envelope envelope_;
  std::chrono::system_clock::time_point now_;
  const DnsResults* dns_ = nullptr;
  mutable std::unordered_map<std::type_index, std::shared_ptr<const void>> facts_;
};

}  // namespace portcullis::content::evals
