// Helo stage: what the client calls itself. Syntax (RFC 5321 4.1.1.1: a domain or an address
// literal), a bare IP address or a name without a dot, a name that does not exist, and a HELO
// claiming to be this gateway (its hostname, or the address the client connected to), which
// only forgers do.
#pragma once
#include <memory>

#include "gateway/core/check.h"
#include "gateway/dns/resolver.h"
#include "gateway/firewall/settings.h"

namespace portcullis::firewall {

enum class HeloForm { Domain, AddressLiteral, BareAddress, NotFqdn, Invalid };
// Classifies the HELO argument; `literal` receives the address of an address literal or bare
// address.
HeloForm classifyHelo(const std::string& helo, std::optional<core::IpAddress>* literal);

class HeloCheck final : public core::Check {
 public:
  HeloCheck(std::shared_ptr<dns::Resolver> resolver, std::shared_ptr<const FirewallSettings> s,
            std::string hostname)
      : resolver_(std::move(resolver)), settings_(std::move(s)), hostname_(std::move(hostname)) {}
  std::string_view name() const override { return "helo"; }
  core::Stage stage() const override { return core::Stage::Helo; }
  void run(const core::CheckContext& ctx, core::StageOutcome& out,
           std::function<void()> done) const override;

 private:
  std::shared_ptr<dns::Resolver> resolver_;
  std::shared_ptr<const FirewallSettings> settings_;
  std::string hostname_;
};

}  // namespace portcullis::firewall
