#include "gateway/firewall/rdns_check.h"

#include <algorithm>

#include "gateway/firewall/lookup_join.h"

namespace portcullis::firewall {

namespace {

constexpr size_t kMaxNames = 3;

struct State {
  dns::Answer ptr;
  std::vector<std::string> names;
  std::vector<dns::Answer> forward;
};

bool temporary(dns::Status s) {
  return s == dns::Status::ServFail || s == dns::Status::Timeout;
}

void conclude(const FirewallSettings& s, const core::IpAddress& ip, State& st,
              core::StageOutcome& out) {
  const std::string addr = ip.str();
  auto symbol = [&](const char* name, std::string reason) {
    out.symbols.push_back({name, s.score(name), std::move(reason), core::Stage::Connect});
  };
  if (st.ptr.status != dns::Status::Ok) {
    if (temporary(st.ptr.status)) {
      out.iprev = "temperror";
    } else {
      out.iprev = "permerror";
      symbol("RDNS_NONE", "no PTR record for " + addr);
    }
    return;
  }
  bool anyTemporary = false;
  for (size_t i = 0; i < st.names.size(); ++i) {
    for (const auto& r : st.forward[i].records) {
      auto a = core::IpAddress::parse(r.data);
      if (a && a->unmapped() == ip) {
        out.clientName = st.names[i];
        out.iprev = "pass";
        return;
      }
    }
    anyTemporary = anyTemporary || temporary(st.forward[i].status);
  }
  if (anyTemporary) {
    out.iprev = "temperror";
    return;
  }
  out.iprev = "fail";
  symbol("RDNS_NOT_CONFIRMED",
         addr + " has PTR " + st.names.front() + ", which does not resolve back to it");
}

}  // namespace

void RdnsCheck::run(const core::CheckContext& ctx, core::StageOutcome& out,
                    std::function<void()> done) const {
  if (!ctx.session.clientIp || !ctx.post) return done();
  const core::IpAddress ip = ctx.session.clientIp->unmapped();
  auto resolver = resolver_;
  auto join = std::make_shared<LookupJoin<State>>(
      ctx.post, [settings = settings_, &out, done, ip](State& st) {
        conclude(*settings, ip, st, out);
        done();
      });
  join->hold();
  resolver->lookup(dns::reverseName(ip.str()), dns::Type::PTR,
                   [join, resolver, ip](const dns::Answer& a) {
                     // Runs on the resolver thread; the forward lookups start from here.
                     std::vector<std::string> names;
                     for (const auto& r : a.records)
                       if (names.size() < kMaxNames &&
                           std::find(names.begin(), names.end(), r.data) == names.end())
                         names.push_back(r.data);
                     for (size_t i = 0; i < names.size(); ++i) join->hold();
                     join->update([&](State& st) {
                       st.ptr = a;
                       st.names = names;
                       st.forward.resize(names.size());
                     });
                     for (size_t i = 0; i < names.size(); ++i)
                       resolver->lookup(names[i], ip.v6 ? dns::Type::AAAA : dns::Type::A,
                                        [join, i](const dns::Answer& f) {
                                          join->update([&](State& st) { st.forward[i] = f; });
                                        });
                   });
  join->release();
}

}  // namespace portcullis::firewall
