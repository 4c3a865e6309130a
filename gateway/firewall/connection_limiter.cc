#include "gateway/firewall/connection_limiter.h"

namespace portcullis::firewall {

namespace {
constexpr auto kWindow = std::chrono::seconds(60);
}

std::string subnetKey(const core::IpAddress& ip, int v4Prefix, int v6Prefix) {
  return core::CidrRange::enclosing(ip, ip.unmapped().v6 ? v6Prefix : v4Prefix).str();
}

double ConnectionLimiter::Counter::count(Clock::time_point now) {
  if (now - windowStart >= 2 * kWindow) {
    previous = current = 0;
    windowStart = now;
  } else if (now - windowStart >= kWindow) {
    previous = current;
    current = 0;
    windowStart += kWindow;
  }
  ++current;
  const double elapsed = std::chrono::duration<double>(now - windowStart) / kWindow;
  return previous * (1.0 - elapsed) + current;
}

std::optional<ConnectionLimiter::Refusal> ConnectionLimiter::rateRefusal(const LimitSettings& s,
                                                                         const std::string& ipKey,
                                                                         double ipRate,
                                                                         const std::string& netKey,
                                                                         double netRate) {
  if (s.ratePerIp > 0 && ipRate > s.ratePerIp)
    return Refusal{"FW_RATE_PER_IP",
                   "connection rate " + std::to_string(static_cast<int>(ipRate)) + "/min from " +
                       ipKey + " (rate_per_ip " + std::to_string(s.ratePerIp) + ")",
                   "Error: too many connections from your host; slow down"};
  if (s.ratePerSubnet > 0 && netRate > s.ratePerSubnet)
    return Refusal{"FW_RATE_PER_SUBNET",
                   "connection rate " + std::to_string(static_cast<int>(netRate)) + "/min from " +
                       netKey + " (rate_per_subnet " + std::to_string(s.ratePerSubnet) + ")",
                   "Error: too many connections from your network; slow down"};
  return std::nullopt;
}

ConnectionLimiter::Lease& ConnectionLimiter::Lease::operator=(Lease&& o) noexcept {
  if (this != &o) {
    if (owner_) owner_->release(ip_, subnet_);
    owner_ = std::exchange(o.owner_, nullptr);
    ip_ = std::move(o.ip_);
    subnet_ = std::move(o.subnet_);
  }
  return *this;
}

ConnectionLimiter::Lease::~Lease() {
  if (owner_) owner_->release(ip_, subnet_);
}

void ConnectionLimiter::configure(const LimitSettings& s) {
  std::lock_guard lock(mutex_);
  settings_ = s;
}

int ConnectionLimiter::active() const {
  std::lock_guard lock(mutex_);
  return active_;
}

size_t ConnectionLimiter::tracked() const {
  std::lock_guard lock(mutex_);
  return ips_.size() + subnets_.size();
}

ConnectionLimiter::Admission ConnectionLimiter::admit(const core::IpAddress& ip, bool exempt,
                                                      Clock::time_point now) {
  Admission result;
  std::lock_guard lock(mutex_);
  const LimitSettings& s = settings_;
  if (s.maxConnections > 0 && active_ >= s.maxConnections) {
    result.refused = Refusal{"FW_MAX_CONNECTIONS",
                             std::to_string(active_) + " connections open (max_connections " +
                                 std::to_string(s.maxConnections) + ")",
                             "Error: too many connections; try again later"};
    return result;
  }
  const std::string ipKey = ip.unmapped().str();
  const std::string netKey = subnetKey(ip, s.ipv4Prefix, s.ipv6Prefix);
  if (!exempt) {
    prune(now, ips_.size() + subnets_.size() >= s.maxTracked);
    // At the cap even after pruning, new clients go untracked (admitted): a flood of distinct
    // addresses must not grow memory without bound, and the global cap still holds.
    const bool track = ips_.size() + subnets_.size() < s.maxTracked || ips_.contains(ipKey);
    if (track) {
      Counter& c = ips_[ipKey];
      Counter& n = subnets_[netKey];
      // Attempts count, refused ones too (as anvil does): hammering keeps a client limited.
      const double ipRate = c.count(now), netRate = n.count(now);
      auto refuse = [&](const char* symbol, std::string reason, std::string text) {
        result.refused = Refusal{symbol, std::move(reason), std::move(text)};
      };
      if (s.maxConnectionsPerIp > 0 && c.concurrent >= s.maxConnectionsPerIp)
        refuse("FW_CONNECTIONS_PER_IP",
               std::to_string(c.concurrent) + " connections open from " + ipKey +
                   " (max_connections_per_ip " + std::to_string(s.maxConnectionsPerIp) + ")",
               "Error: too many connections from your host");
      else if (s.maxConnectionsPerSubnet > 0 && n.concurrent >= s.maxConnectionsPerSubnet)
        refuse("FW_CONNECTIONS_PER_SUBNET",
               std::to_string(n.concurrent) + " connections open from " + netKey +
                   " (max_connections_per_subnet " + std::to_string(s.maxConnectionsPerSubnet) +
                   ")",
               "Error: too many connections from your network");
      if (!result.refused) result.refused = rateRefusal(s, ipKey, ipRate, netKey, netRate);
      if (result.refused) return result;
      ++c.concurrent;
      ++n.concurrent;
      result.lease.ip_ = ipKey;
      result.lease.subnet_ = netKey;
    }
  }
  ++active_;
  result.lease.owner_ = this;
  return result;
}

void ConnectionLimiter::release(const std::string& ip, const std::string& subnet) {
  std::lock_guard lock(mutex_);
  --active_;
  if (ip.empty()) return;
  if (auto it = ips_.find(ip); it != ips_.end() && it->second.concurrent > 0)
    --it->second.concurrent;
  if (auto it = subnets_.find(subnet); it != subnets_.end() && it->second.concurrent > 0)
    --it->second.concurrent;
}

void ConnectionLimiter::prune(Clock::time_point now, bool full) {
  // Pruning walks every entry: once a minute, or once a second while at the cap.
  if (now - lastPrune_ < (full ? std::chrono::seconds(1) : kWindow)) return;
  lastPrune_ = now;
  auto idle = [now](const Counter& c) {
    return c.concurrent == 0 && now - c.windowStart >= 2 * kWindow;
  };
  std::erase_if(ips_, [&](auto& kv) { return idle(kv.second); });
  std::erase_if(subnets_, [&](auto& kv) { return idle(kv.second); });
}

}  // namespace portcullis::firewall
