#include "gateway/firewall/greylist.h"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "gateway/core/text.h"
#include "gateway/firewall/connection_limiter.h"

namespace portcullis::firewall {

std::string Greylist::normalizeSender(const std::string& sender) {
  std::string s = core::lowerAscii(sender);
  auto at = s.rfind('@');
  if (at == std::string::npos) return s;
  std::string local = s.substr(0, at), domain = s.substr(at);
  // BATV: prvs=TAG=user (RFC draft), or btv1==TAG==user.
  if (local.starts_with("prvs=") || local.starts_with("msprvs1=")) {
    auto eq = local.find('=', local.find('=') + 1);
    if (eq != std::string::npos) local = local.substr(eq + 1);
  } else if (local.starts_with("btv1==")) {
    auto eq = local.find("==", 6);
    if (eq != std::string::npos) local = local.substr(eq + 2);
  }
  // SRS rewrites carry a timestamp hash: keep only the scheme's fixed part.
  if (local.starts_with("srs0=") || local.starts_with("srs1=")) local = local.substr(0, 4);
  if (auto plus = local.find('+'); plus != std::string::npos) local.resize(plus);
  // Per-message numbers (bounce-1234@) change on retries: digits become one '#'.
  std::string squashed;
  for (char c : local) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      if (squashed.empty() || squashed.back() != '#') squashed += '#';
    } else {
      squashed += c;
    }
  }
  return squashed + domain;
}

// The decision, over either table: the in-process maps or a shared store.
template <typename Table>
Greylist::Outcome Greylist::decide(Table& table, const GreylistSettings& s,
                                   const core::IpAddress& client, const std::string& sender,
                                   const std::vector<std::string>& recipients,
                                   Clock::time_point now) {
  const std::string net = subnetKey(client, s.ipv4Prefix, s.ipv6Prefix);
  const std::string from = normalizeSender(sender);
  if (auto n = table.subnet(net);
      n && s.autoAllowlistAfter > 0 && n->passes >= s.autoAllowlistAfter && n->until > now)
    return {Result::Allowlisted,
            {},
            net + " passed greylisting " + std::to_string(n->passes) + " times"};

  Outcome out;
  bool anyRetryPassed = false;
  for (const auto& rcpt : recipients) {
    const std::string key = net + "\n" + from + "\n" + core::lowerAscii(rcpt);
    auto known = table.triplet(key);
    bool fresh = !known;
    Triplet t = known.value_or(Triplet{now, {}});
    if (!fresh && t.passedUntil > now) {
      t.passedUntil = now + s.passTtl;
      table.putTriplet(key, t, s);
      continue;
    }
    if (!fresh && now - t.first > s.retryWindow) {
      t = Triplet{now, {}};  // came back too late: start over
      fresh = true;
    }
    const auto waited = std::chrono::duration_cast<std::chrono::seconds>(now - t.first);
    if (fresh || waited < s.delay) {
      if (fresh) table.putTriplet(key, t, s);
      out.result = Result::Greylisted;
      out.retryAfter = std::max(out.retryAfter, s.delay - waited);
      out.reason = fresh ? "new triplet " + net + " <" + from + "> <" + rcpt + ">"
                         : "retry after " + std::to_string(waited.count()) + "s, before " +
                               std::to_string(s.delay.count()) + "s";
      continue;
    }
    t.passedUntil = now + s.passTtl;
    table.putTriplet(key, t, s);
    anyRetryPassed = true;
  }
  if (out.result == Result::Pass) {
    out.reason = anyRetryPassed ? "retry passed" : "known triplet";
    if (anyRetryPassed) {
      Subnet n = table.subnet(net).value_or(Subnet{});
      ++n.passes;
      n.until = now + s.passTtl;
      table.putSubnet(net, n, s);
    }
  }
  return out;
}

// The in-process maps (the caller holds the mutex).
struct Greylist::MapTable {
  Greylist& g;
  std::optional<Triplet> triplet(const std::string& key) {
    auto it = g.triplets_.find(key);
    return it == g.triplets_.end() ? std::nullopt : std::optional<Triplet>(it->second);
  }
  void putTriplet(const std::string& key, const Triplet& t, const GreylistSettings&) {
    g.triplets_[key] = t;
  }
  std::optional<Subnet> subnet(const std::string& net) {
    auto it = g.subnets_.find(net);
    return it == g.subnets_.end() ? std::nullopt : std::optional<Subnet>(it->second);
  }
  void putSubnet(const std::string& net, const Subnet& n, const GreylistSettings&) {
    g.subnets_[net] = n;
  }
};

// A shared store: "grey:NET\nFROM\nRCPT" -> "FIRST PASSED_UNTIL" and "greynet:NET" ->
// "PASSES UNTIL", in unix seconds, each expiring when the in-process tables would prune it.
struct Greylist::StoreTable {
  reputation::Store& store;
  int64_t now;
  static int64_t secs(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  }
  static Clock::time_point at(int64_t s) { return Clock::time_point(std::chrono::seconds(s)); }
  static std::optional<std::pair<int64_t, int64_t>> pair(const std::optional<std::string>& v) {
    long long a = 0, b = 0;
    if (!v || std::sscanf(v->c_str(), "%lld %lld", &a, &b) != 2) return std::nullopt;
    return std::pair<int64_t, int64_t>(a, b);
  }
  std::optional<Triplet> triplet(const std::string& key) {
    auto p = pair(store.getValue("grey:" + key, now));
    if (!p) return std::nullopt;
    return Triplet{at(p->first), at(p->second)};
  }
  void putTriplet(const std::string& key, const Triplet& t, const GreylistSettings& s) {
    const int64_t ttl =
        secs(t.passedUntil) > now ? secs(t.passedUntil) - now : s.retryWindow.count() + 60;
    store.putValue("grey:" + key,
                   std::to_string(secs(t.first)) + " " + std::to_string(secs(t.passedUntil)),
                   static_cast<int>(std::max<int64_t>(ttl, 1)), now);
  }
  std::optional<Subnet> subnet(const std::string& net) {
    auto p = pair(store.getValue("greynet:" + net, now));
    if (!p) return std::nullopt;
    return Subnet{static_cast<int>(p->first), at(p->second)};
  }
  void putSubnet(const std::string& net, const Subnet& n, const GreylistSettings&) {
    store.putValue("greynet:" + net, std::to_string(n.passes) + " " + std::to_string(secs(n.until)),
                   static_cast<int>(std::max<int64_t>(secs(n.until) - now, 1)), now);
  }
};

Greylist::Outcome Greylist::check(const GreylistSettings& s, const core::IpAddress& client,
                                  const std::string& sender,
                                  const std::vector<std::string>& recipients,
                                  Clock::time_point now) {
  std::lock_guard lock(mutex_);
  prune(s, now);
  MapTable table{*this};
  return decide(table, s, client, sender, recipients, now);
}

Greylist::Outcome Greylist::checkShared(reputation::Store& store, const GreylistSettings& s,
                                        const core::IpAddress& client, const std::string& sender,
                                        const std::vector<std::string>& recipients,
                                        Clock::time_point now) {
  StoreTable table{store, StoreTable::secs(now)};
  return decide(table, s, client, sender, recipients, now);
}

size_t Greylist::size() const {
  std::lock_guard lock(mutex_);
  return triplets_.size() + subnets_.size();
}

void Greylist::prune(const GreylistSettings& s, Clock::time_point now) {
  const bool full = triplets_.size() + subnets_.size() >= s.maxEntries;
  if (!full && now - lastPrune_ < std::chrono::minutes(1)) return;
  lastPrune_ = now;
  std::erase_if(triplets_, [&](const auto& kv) {
    const Triplet& t = kv.second;
    return t.passedUntil > now ? false : now - t.first > s.retryWindow;
  });
  std::erase_if(subnets_, [&](const auto& kv) { return kv.second.until <= now; });
  // Still full: unconfirmed triplets go first (a spammer's one-shot attempts), oldest first.
  while (triplets_.size() + subnets_.size() >= s.maxEntries && !triplets_.empty()) {
    auto victim = triplets_.begin();
    for (auto it = triplets_.begin(); it != triplets_.end(); ++it) {
      auto rank = [](const Triplet& t) { return std::pair(t.passedUntil, t.first); };
      if (rank(it->second) < rank(victim->second)) victim = it;
    }
    triplets_.erase(victim);
  }
}

}  // namespace portcullis::firewall
