// Rcpt stage: relay only to the configured domains (no open relay). Refuses addresses whose
// local part still carries routing (%, !, @) as Postfix does with allow_untrusted_routing=no,
// since a downstream may honour such routing and relay onwards.
#pragma once
#include <set>
#include <string>

#include "gateway/core/check.h"

namespace portcullis::checks {

class RelayDomains {
 public:
  // "example.com" matches that domain only; ".example.com" matches its subdomains.
  explicit RelayDomains(const std::vector<std::string>& entries);
  bool contains(std::string_view domain) const;
  bool empty() const { return exact_.empty() && parents_.empty(); }

 private:
  std::set<std::string, std::less<>> exact_;
  std::set<std::string, std::less<>> parents_;
};

class RelayDomainsCheck final : public core::Check {
 public:
  explicit RelayDomainsCheck(RelayDomains domains) : domains_(std::move(domains)) {}
  std::string_view name() const override { return "relay_domains"; }
  core::Stage stage() const override { return core::Stage::Rcpt; }
  void run(const core::CheckContext& ctx, core::StageOutcome& out,
           std::function<void()> done) const override;

 private:
  RelayDomains domains_;
};

}  // namespace portcullis::checks
