#include "gateway/firewall/greylist.h"

#include <algorithm>

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

Greylist::Outcome Greylist::check(const GreylistSettings& s, const core::IpAddress& client,
                                  const std::string& sender,
                                  const std::vector<std::string>& recipients,
                                  Clock::time_point now) {
  const std::string net = subnetKey(client, s.ipv4Prefix, s.ipv6Prefix);
  const std::string from = normalizeSender(sender);
  std::lock_guard lock(mutex_);
  prune(s, now);
  if (auto it = subnets_.find(net); it != subnets_.end() && s.autoAllowlistAfter > 0 &&
                                    it->second.passes >= s.autoAllowlistAfter &&
                                    it->second.until > now)
    return {Result::Allowlisted,
            {},
            net + " passed greylisting " + std::to_string(it->second.passes) + " times"};

  Outcome out;
  bool anyRetryPassed = false;
  for (const auto& rcpt : recipients) {
    const std::string key = net + "\n" + from + "\n" + core::lowerAscii(rcpt);
    auto [it, fresh] = triplets_.try_emplace(key, Triplet{now, {}});
    Triplet& t = it->second;
    if (!fresh && t.passedUntil > now) {
      t.passedUntil = now + s.passTtl;
      continue;
    }
    if (!fresh && now - t.first > s.retryWindow) {
      t = Triplet{now, {}};  // came back too late: start over
      fresh = true;
    }
    const auto waited = std::chrono::duration_cast<std::chrono::seconds>(now - t.first);
    if (fresh || waited < s.delay) {
      out.result = Result::Greylisted;
      out.retryAfter = std::max(out.retryAfter, s.delay - waited);
      out.reason = fresh ? "new triplet " + net + " <" + from + "> <" + rcpt + ">"
                         : "retry after " + std::to_string(waited.count()) + "s, before " +
                               std::to_string(s.delay.count()) + "s";
      continue;
    }
    t.passedUntil = now + s.passTtl;
    anyRetryPassed = true;
  }
  if (out.result == Result::Pass) {
    out.reason = anyRetryPassed ? "retry passed" : "known triplet";
    if (anyRetryPassed) {
      Subnet& n = subnets_[net];
      ++n.passes;
      n.until = now + s.passTtl;
    }
  }
  return out;
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
