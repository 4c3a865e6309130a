#include "gateway/content/evals/relay_envelope_from.h"

#include <string_view>

#include "gateway/mime/headers.h"

namespace portcullis::content::evals {
namespace {

bool usableSender(const std::string& address) {
  size_t at = address.find('@');
  return at != std::string::npos && at > 0;
}

// A list may have re-sent the message with a new envelope sender: a header a delivery agent
// wrote is only believed when no Received line comes before it (get("ALL") =~
// /^Received:.*?^Name:/smi).
bool receivedComesBefore(const EvalContext& ctx, std::string_view name) {
  bool sawReceived = false;
  for (const auto& h : ctx.message().root.headers) {
    if (sawReceived && mime::iequals(h.name, name)) return true;
    if (mime::iequals(h.name, "Received")) sawReceived = true;
  }
  return false;
}

std::optional<std::string> firstAddressOf(const EvalContext& ctx, const std::string& header) {
  std::vector<std::string> addresses = ctx.getAll(header + ":first:addr");
  if (addresses.empty()) return std::nullopt;
  return addresses.front();
}

}  // namespace

std::string firstAddress(const EvalContext& ctx, const std::string& header) {
  return firstAddressOf(ctx, header).value_or("");
}

std::optional<std::string> saEnvelopeFrom(const EvalContext& ctx) {
  if (ctx.envelope().mailFrom) return ctx.envelope().mailFrom;

  std::string_view configured = ctx.settings().last("envelope_sender_header");
  if (!configured.empty()) {
    auto sender = firstAddressOf(ctx, std::string(configured));
    if (sender && (usableSender(*sender) || sender->empty())) return sender;
    return std::nullopt;
  }

  const auto& path = ctx.relays();
  const relays::Relay* lastHop = !path.untrusted.empty() ? &path.untrusted.front()
                                 : !path.trusted.empty() ? &path.trusted.back()
                                                         : nullptr;
  // Relay::envfrom cannot tell a recorded null sender from none recorded; only an address
  // is taken from it.
  if (lastHop && usableSender(lastHop->envfrom)) return lastHop->envfrom;

  // fetchmail reuses a list's X-Sender as its own envelope sender: nothing below is reliable.
  auto xSender = firstAddressOf(ctx, "X-Sender");
  if (xSender && xSender->find('@') != std::string::npos)
    for (const auto& received : ctx.getAll("Received"))
      if (received.find("(fetchmail") != std::string::npos) return std::nullopt;

  if (auto sender = firstAddressOf(ctx, "X-Envelope-From"))
    return receivedComesBefore(ctx, "X-Envelope-From") ? std::nullopt : sender;
  for (const char* name : {"Envelope-Sender", "Return-Path"}) {
    auto sender = firstAddressOf(ctx, name);
    if (sender && !receivedComesBefore(ctx, name)) return sender;
  }
  return std::nullopt;
}

}  // namespace portcullis::content::evals
