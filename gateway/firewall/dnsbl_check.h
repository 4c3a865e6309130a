// Connect stage: DNS block and allow lists, all queried at once (postscreen_dnsbl_sites). Each
// listing site adds its weight as a symbol (RBL_ZONE / RWL_ZONE); at or above the threshold the
// firewall's DNSBL action applies; at or below the allowlist threshold the client is
// allowlisted and skips the other firewall tests. A list that does not answer counts as not
// listing: DNS trouble never blocks mail.
#pragma once
#include <memory>

#include "gateway/core/check.h"
#include "gateway/dns/resolver.h"
#include "gateway/firewall/settings.h"

namespace portcullis::firewall {

class DnsblCheck final : public core::Check {
 public:
  DnsblCheck(std::shared_ptr<dns::Resolver> resolver, std::shared_ptr<const FirewallSettings> s)
      : resolver_(std::move(resolver)), settings_(std::move(s)) {}
  std::string_view name() const override { return "dnsbl"; }
  core::Stage stage() const override { return core::Stage::Connect; }
  void run(const core::CheckContext& ctx, core::StageOutcome& out,
           std::function<void()> done) const override;

 private:
  std::shared_ptr<dns::Resolver> resolver_;
  std::shared_ptr<const FirewallSettings> settings_;
};

}  // namespace portcullis::firewall
