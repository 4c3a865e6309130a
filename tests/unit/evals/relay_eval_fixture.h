// A message for the relay eval tests: the literal text parsed, a relay path built by hand
// (the Received parser is tested on its own), and the settings given.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "gateway/content/evals/eval_context.h"
#include "gateway/content/evals/relay_evals.h"
#include "gateway/content/sa_text.h"
#include "gateway/mime/message.h"

namespace portcullis::content::evals::testing {

inline relays::Relay relay(std::string ip, std::string rdns, std::string helo, std::string by,
                           std::string envfrom = "") {
  relays::Relay r;
  auto lower = [](std::string s) {
    for (char& c : s)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
  };
  r.ip = std::move(ip);
  r.address = core::IpAddress::parse(r.ip);
  r.rdns = std::move(rdns);
  r.helo = std::move(helo);
  r.by = std::move(by);
  r.envfrom = std::move(envfrom);
  r.lcRdns = lower(r.rdns);
  // As an MTA that looks every client up writes it: an empty name means none was found.
  r.noReverseDns = r.rdns.empty();
  r.lcHelo = lower(r.helo);
  r.lcBy = lower(r.by);
  return r;
}

inline EvalSettings settings(std::vector<std::pair<std::string, std::string>> lines) {
  std::vector<rules::Setting> out;
  for (auto& [key, value] : lines) out.push_back({key, value, "test.cf", 1});
  return EvalSettings(std::move(out));
}

class RelayEvalMessage {
 public:
  explicit RelayEvalMessage(std::string raw, relays::RelayPath path = {},
                            EvalSettings evalSettings = {}, Envelope envelope = {})
      : raw_(std::move(raw)),
        message_(mime::parseMessage(raw_)),
        text_(raw_, message_),
        path_(std::move(path)),
        settings_(std::move(evalSettings)),
        ctx_(raw_, message_, text_, path_, settings_, std::move(envelope)) {}
  const EvalContext& ctx() const { return ctx_; }

 private:
  std::string raw_;
  mime::Message message_;
  SaMessageText text_;
  relays::RelayPath path_;
  EvalSettings settings_;
  EvalContext ctx_;
};

}  // namespace portcullis::content::evals::testing
