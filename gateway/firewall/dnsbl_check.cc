#include "gateway/firewall/dnsbl_check.h"

#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>

#include "gateway/core/log.h"
#include "gateway/firewall/lookup_join.h"

namespace portcullis::firewall {

namespace {
std::string number(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", v);
  return b;
}

}  // namespace

bool isDnsListError(const core::IpAddress& a) {
  return !a.v6 && a.bytes[0] == 127 && a.bytes[1] == 255 && a.bytes[2] == 255;
}

void warnDnsListTrouble(const std::string& zone, const std::string& what) {
  static std::mutex mutex;
  static std::map<std::string, std::pair<std::chrono::steady_clock::time_point, int>> last;
  const auto now = std::chrono::steady_clock::now();
  std::string message;
  {
    std::lock_guard lock(mutex);
    auto& [when, count] = last[zone];
    ++count;
    if (when != std::chrono::steady_clock::time_point{} && now - when < std::chrono::minutes(1))
      return;
    message = "DNS list " + zone + ": " + what + " (" + std::to_string(count) +
              " failed lookup(s) since the last warning); what it lists counts as not listed";
    when = now;
    count = 0;
  }
  core::log::warn(message);
}

void DnsblCheck::run(const core::CheckContext& ctx, core::StageOutcome& out,
                     std::function<void()> done) const {
  const auto& s = *settings_;
  if (!ctx.session.clientIp || s.dnsbl.empty() || !ctx.post) return done();
  const core::IpAddress ip = ctx.session.clientIp->unmapped();
  using Answers = std::vector<dns::Answer>;
  auto join = std::make_shared<LookupJoin<Answers>>(ctx.post, [settings = settings_, &out, done,
                                                               ip](Answers& answers) {
    const auto& s = *settings;
    double sum = 0;
    std::string listedBy;
    std::string blockedBy;  // the first listing block list (not an allowlist), for the client
    for (size_t i = 0; i < s.dnsbl.size(); ++i) {
      const DnsblSite& site = s.dnsbl[i];
      std::string hits;
      const dns::Answer& answer = answers[i];
      if (answer.status == dns::Status::ServFail || answer.status == dns::Status::Timeout)
        warnDnsListTrouble(site.zone, answer.status == dns::Status::Timeout
                                          ? "no answer (timeout)"
                                          : "server failure: " + answer.detail);
      for (const auto& r : answer.records) {
        auto a = core::IpAddress::parse(r.data);
        if (a && isDnsListError(*a)) {
          warnDnsListTrouble(site.zone, "error answer " + r.data + " (query refused or limited)");
          continue;
        }
        if (a && site.matches(*a)) hits += (hits.empty() ? "" : ",") + r.data;
      }
      if (hits.empty()) continue;
      // A site's weight counts once, however many of its answers match (as postscreen).
      sum += site.weight;
      listedBy += (listedBy.empty() ? "" : " ") + site.zone;
      if (blockedBy.empty() && site.weight > 0) blockedBy = site.zone;
      out.symbols.push_back({site.symbol, site.weight,
                             ip.str() + " listed by " + site.zone + " (" + hits + ")",
                             core::Stage::Connect});
    }
    if (!listedBy.empty() && sum >= s.dnsblThreshold) {
      out.symbols.push_back({"FW_DNSBL", s.score("FW_DNSBL"),
                             "DNS list score " + number(sum) + " >= dnsbl_threshold " +
                                 number(s.dnsblThreshold) + " (" + listedBy + ")",
                             core::Stage::Connect});
      // The first listing block list names the block for the client, as postscreen does.
      if (auto f = firewallForcedAction(
              s.dnsblAction, "FW_DNSBL",
              "Service unavailable; client [" + ip.str() + "] blocked using " + blockedBy))
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
