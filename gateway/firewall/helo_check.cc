#include "gateway/firewall/helo_check.h"
#include <cctype>

#include "gateway/core/text.h"
#include "gateway/firewall/lookup_join.h"

namespace portcullis::firewall {

HeloForm classifyHelo(const std::string& helo, std::optional<core::IpAddress>* literal) {
  if (helo.size() >= 2 && helo.front() == '[' && helo.back() == ']') {
    std::string inner = helo.substr(1, helo.size() - 2);
    if (core::lowerAscii(inner).starts_with("ipv6:")) inner = inner.substr(5);
    auto a = core::IpAddress::parse(inner);
    if (!a) return HeloForm::Invalid;
    *literal = a->unmapped();
    return HeloForm::AddressLiteral;
  }
  if (auto a = core::IpAddress::parse(helo)) {
    *literal = a->unmapped();
    return HeloForm::BareAddress;
  }
  std::string name = helo;
  if (!name.empty() && name.back() == '.') name.pop_back();
  if (name.empty() || name.size() > 253) return HeloForm::Invalid;
  size_t start = 0;
  while (true) {
    size_t dot = name.find('.', start);
    std::string_view label(name.data() + start,
                           (dot == std::string::npos ? name.size() : dot) - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return HeloForm::Invalid;
    for (unsigned char c : label)
      // '_' is not valid in a host name, but common in Windows machine names: count it as
      // syntax, not forgery.
      if (!std::isalnum(c) && c != '-' && c != '_') return HeloForm::Invalid;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (name.find('.') == std::string::npos) return HeloForm::NotFqdn;
  return HeloForm::Domain;
}

void HeloCheck::run(const core::CheckContext& ctx, core::StageOutcome& out,
                    std::function<void()> done) const {
  const auto& s = *settings_;
  const std::string& helo = ctx.session.helo;
  if (helo.empty()) return done();  // `scan` without --helo
  auto symbol = [&](const char* name, std::string reason) {
    out.symbols.push_back({name, s.score(name), std::move(reason), core::Stage::Helo});
  };
  std::optional<core::IpAddress> literal;
  const HeloForm form = classifyHelo(helo, &literal);
  // Software on this machine may well be called what we are called: not forgery.
  const bool ours =
      !ctx.session.sameHost() &&
      (core::lowerAscii(helo) == core::lowerAscii(hostname_) ||
       (literal && ctx.session.serverIp && *literal == ctx.session.serverIp->unmapped()));
  if (ours) {
    symbol("HELO_OWN_NAME", "HELO " + helo + " claims to be this gateway");
    if (auto f = firewallForcedAction(s.heloOwnNameAction, "HELO_OWN_NAME",
                                      "<" + helo + ">: Helo command rejected: that is my name"))
      out.force(*f);
    return done();
  }
  switch (form) {
    case HeloForm::Invalid:
      symbol("HELO_INVALID", "HELO " + helo + " is neither a domain nor an address literal");
      return done();
    case HeloForm::BareAddress:
      symbol("HELO_BARE_IP", "HELO " + helo + " is an address without [brackets]");
      return done();
    case HeloForm::NotFqdn:
      symbol("HELO_NOT_FQDN", "HELO " + helo + " is not a fully qualified domain name");
      return done();
    case HeloForm::AddressLiteral:
      if (ctx.session.clientIp && *literal != ctx.session.clientIp->unmapped())
        symbol("HELO_LITERAL_MISMATCH",
               "HELO " + helo + " is not the client's address " + ctx.session.clientIp->str());
      return done();
    case HeloForm::Domain:
      break;
  }
  if (!ctx.post) return done();
  // Does the name exist at all? Only NXDOMAIN counts: a name with MX but no A is fine.
  auto join = std::make_shared<LookupJoin<dns::Answer>>(
      ctx.post, [settings = settings_, &out, done, helo](dns::Answer& a) {
        if (a.status == dns::Status::NxDomain)
          out.symbols.push_back({"HELO_NXDOMAIN", settings->score("HELO_NXDOMAIN"),
                                 "HELO " + helo + " does not exist in DNS", core::Stage::Helo});
        done();
      });
  join->hold();
  resolver_->lookup(helo, dns::Type::A, [join](const dns::Answer& a) {
    join->update([&](dns::Answer& st) { st = a; });
  });
  join->release();
}

}  // namespace portcullis::firewall
