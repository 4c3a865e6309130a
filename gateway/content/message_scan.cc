#include "gateway/content/message_scan.h"

#include "gateway/content/relays/received_parser.h"

namespace portcullis::content {
namespace {

const evals::EvalSettings& settingsOf(const LoadedRules& loaded) {
  static const evals::EvalSettings none;
  return loaded.settings ? *loaded.settings : none;
}

// The relay path: the client the front door saw first, then the message's Received lines (the
// milter's MTA has already written its own for that client: it is left out).
relays::RelayPath pathFor(const LoadedRules& loaded, const mime::Message& message,
                          const evals::Envelope& envelope) {
  static const relays::TrustSettings untrusting;
  const relays::TrustSettings& trust = loaded.trust ? *loaded.trust : untrusting;
  std::vector<std::string> received, originating;
  for (const auto& h : message.root.headers)
    if (mime::iequals(h.name, "Received")) received.push_back(h.value);
  for (const auto& name : trust.originatingHeaders)
    for (const auto& h : message.root.headers)
      if (mime::iequals(h.name, name)) {
        originating.push_back(h.value);
        break;
      }
  std::optional<relays::SeenClient> seen;
  if (envelope.clientIp) {
    seen = relays::SeenClient{*envelope.clientIp, envelope.clientName, envelope.helo,
                              envelope.receivedBy,
                              envelope.authenticated ? envelope.authMechanism : std::string()};
    if (envelope.milter && !received.empty()) {
      auto top = relays::parseReceivedLine(received.front());
      if (top.kind == relays::ReceivedKind::Relay && top.relay.address &&
          top.relay.address->unmapped() == envelope.clientIp->unmapped())
        received.erase(received.begin());
    }
  }
  return relays::analyseRelays(received, originating, trust, seen);
}

}  // namespace

MessageScan::MessageScan(const LoadedRules& loaded, std::string_view raw,
                         const mime::Message& message, evals::Envelope envelope)
    : loaded_(loaded),
      message_(message),
      path_(pathFor(loaded, message, envelope)),
      text_(raw, message, envelope.mailFrom),
      context_(raw, message, text_, path_, settingsOf(loaded), std::move(envelope)) {
  text_.setRelays(&path_);
}

std::vector<evals::DnsLookup> MessageScan::lookups() const {
  std::vector<evals::DnsLookup> out;
  if (!loaded_.rules || !loaded_.evals) return out;
  const auto& all = loaded_.rules->rules();
  for (size_t i = 0; i < all.size(); ++i) {
    if (loaded_.rules->path(i) != rules::MatchPath::Eval) continue;
    const evals::EvalEntry* e = loaded_.evals->find(all[i].eval.function);
    if (e && e->plan) e->plan(context_, all[i], out);
  }
  return out;
}

void MessageScan::setDnsResults(evals::DnsResults results) {
  dns_ = std::move(results);
  haveDns_ = true;
  context_.setDns(&dns_);
}

rules::ScanResult MessageScan::run(bool explain) {
  std::optional<evals::MessageEvals> scope;
  if (loaded_.evals) scope.emplace(*loaded_.evals, context_);
  const mime::Message& message = message_;
  return loaded_.rules->scan(
      text_, explain, [&message] { return message.budget.exhausted(); }, scope ? &*scope : nullptr);
}

}  // namespace portcullis::content
