#include "gateway/firewall/dnsbl_check.h"

#include <cstdio>

#include "gateway/firewall/lookup_join.h"

namespace portcullis::firewall {

std::optional<core::ForcedAction> firewallForcedAction(FirewallAction a, const std::string& symbol,
                                                       const std::string& text) {
  switch (a) {
    case FirewallAction::Ignore:
      return std::nullopt;
    case FirewallAction::Tempfail:
      return core::ForcedAction{core::Action::Tempfail, core::makeReply(450, "4.7.1", text),
                                symbol};
    case FirewallAction::Reject:
      return core::ForcedAction{core::Action::Reject, core::makeReply(554, "5.7.1", text), symbol};
    case FirewallAction::Drop:
      return core::ForcedAction{core::Action::Tempfail, core::makeReply(421, "4.7.0", text),
                                symbol};
  }
  return std::nullopt;
}

namespace {
std::string number(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", v);
  return b;
}
}  // namespace

void DnsblCheck::run(const core::CheckContext& ctx, core::StageOutcome& out,
                     std::function<void()> done) const {
  const auto& s = *settings_;
  if (!ctx.session.clientIp || s.dnsbl.empty() || !ctx.post) return done();
  const core::IpAddress ip = ctx.session.clientIp->unmapped();
  using Answers = std::vector<dns::Answer>;
  auto join = std::make_shared<LookupJoin<Answers>>(
      ctx.post, [settings = settings_, &out, done, ip](Answers& answers) {
        const auto& s = *settings;
        double sum = 0;
        std::string listedBy;
        for (size_t i = 0; i < s.dnsbl.size(); ++i) {
          const DnsblSite& site = s.dnsbl[i];
          std::string hits;
          for (const auto& r : answers[i].records) {
            auto a = core::IpAddress::parse(r.data);
            if (a && site.matches(*a)) hits += (hits.empty() ? "" : ",") + r.data;
          }
          if (hits.empty()) continue;
          // A site's weight counts once, however many of its answers match (as postscreen).
          sum += site.weight;
          listedBy += (listedBy.empty() ? "" : " ") + site.zone;
          out.symbols.push_back({site.symbol, site.weight,
                                 ip.str() + " listed by " + site.zone + " (" + hits + ")",
                                 core::Stage::Connect});
        }
        if (!listedBy.empty() && sum >= s.dnsblThreshold) {
          out.symbols.push_back({"FW_DNSBL", s.score("FW_DNSBL"),
                                 "DNS list score " + number(sum) + " >= dnsbl_threshold " +
                                     number(s.dnsblThreshold) + " (" + listedBy + ")",
                                 core::Stage::Connect});
          // The first listing zone names the block for the client, as postscreen does.
          auto zone = listedBy.substr(0, listedBy.find(' '));
          if (auto f = firewallForcedAction(
                  s.dnsblAction, "FW_DNSBL",
                  "Service unavailable; client [" + ip.str() + "] blocked using " + zone))
            out.force(*f);
        } else if (sum <= s.dnswlThreshold && s.dnswlThreshold < 0) {
          out.symbols.push_back(
              {"FW_DNSWL", s.score("FW_DNSWL"),
               "DNS list score " + number(sum) + " <= dnswl_threshold " + number(s.dnswlThreshold),
               core::Stage::Connect});
          out.allowlisted = true;
        }
        done();
      });
  join->state().resize(s.dnsbl.size());
  for (size_t i = 0; i < s.dnsbl.size(); ++i) {
    join->hold();
    resolver_->lookup(dnsblQueryName(ip, s.dnsbl[i].zone), dns::Type::A,
                      [join, i](const dns::Answer& a) {
                        join->update([&](Answers& answers) { answers[i] = a; });
                      });
  }
  join->release();
}

}  // namespace portcullis::firewall
