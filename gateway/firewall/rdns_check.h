// Connect stage: the client's reverse DNS, forward-confirmed (FCrDNS, RFC 8601 "iprev"). The
// PTR names (at most three) are looked up forward; the first that leads back to the client's
// address becomes the session's client name (Received, XCLIENT NAME). Symbols: RDNS_NONE (no
// PTR), RDNS_NOT_CONFIRMED (no PTR name leads back). DNS failures give iprev=temperror and no
// score.
#pragma once
#include <memory>

#include "gateway/core/check.h"
#include "gateway/dns/resolver.h"
#include "gateway/firewall/settings.h"

namespace portcullis::firewall {

class RdnsCheck final : public core::Check {
 public:
  RdnsCheck(std::shared_ptr<dns::Resolver> resolver, std::shared_ptr<const FirewallSettings> s)
      : resolver_(std::move(resolver)), settings_(std::move(s)) {}
  std::string_view name() const override { return "reverse_dns"; }
  core::Stage stage() const override { return core::Stage::Connect; }
  void run(const core::CheckContext& ctx, core::StageOutcome& out,
           std::function<void()> done) const override;

 private:
  std::shared_ptr<dns::Resolver> resolver_;
  std::shared_ptr<const FirewallSettings> settings_;
};

}  // namespace portcullis::firewall
