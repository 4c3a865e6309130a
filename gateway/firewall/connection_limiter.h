// Connection admission before the banner: a global cap, concurrency per client address and per
// subnet (/24, /64), and connection rates per address and subnet, as Postfix's anvil counts
// them. Shared by every worker (one mutex; an admission is a few hash lookups) and kept across
// reloads, so a SIGHUP does not reset a flood's counters. Time is passed in, for tests.
#pragma once
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "gateway/core/ip_address.h"
#include "gateway/firewall/settings.h"

namespace portcullis::firewall {

using Clock = std::chrono::steady_clock;

// The key of `ip`'s subnet for per-subnet counters: "192.0.2.0/24", "2001:db8:1:2::/64".
std::string subnetKey(const core::IpAddress& ip, int v4Prefix, int v6Prefix);

class ConnectionLimiter {
 public:
  struct Refusal {
    std::string symbol;  // FW_MAX_CONNECTIONS, FW_CONNECTIONS_PER_IP, FW_RATE_PER_SUBNET ...
    std::string reason;  // for the log
    std::string text;    // for the client's 421
  };
  // Holds one connection slot; destroying it gives the slot back.
  class Lease {
   public:
    Lease() = default;
    Lease(Lease&& o) noexcept { *this = std::move(o); }
    Lease& operator=(Lease&& o) noexcept;
    ~Lease();
    bool held() const { return owner_ != nullptr; }

   private:
    friend class ConnectionLimiter;
    ConnectionLimiter* owner_ = nullptr;
    std::string ip_, subnet_;
  };
  struct Admission {
    Lease lease;  // held when admitted
    std::optional<Refusal> refused;
  };

  // The refusal for these connection rates (per minute) under `s`, if any; also used for the
  // rates a shared store counts.
  static std::optional<Refusal> rateRefusal(const LimitSettings& s, const std::string& ipKey,
                                            double ipRate, const std::string& netKey,
                                            double netRate);

  // `exempt` clients (allowlisted) count towards the global cap only.
  Admission admit(const core::IpAddress& ip, bool exempt, Clock::time_point now);
  void configure(const LimitSettings& s);
  int active() const;
  size_t tracked() const;

 private:
  struct Counter {
    int concurrent = 0;
    // Sliding-window rate: the previous minute's count, weighted by how much of it still lies
    // within the last 60 s, plus this minute's.
    Clock::time_point windowStart{};
    int current = 0;
    int previous = 0;
    // Counts one attempt at `now`; returns the rate including it.
    double count(Clock::time_point now);
  };
  void release(const std::string& ip, const std::string& subnet);
  void prune(Clock::time_point now, bool full);

  mutable std::mutex mutex_;
  LimitSettings settings_;
  int active_ = 0;
  std::unordered_map<std::string, Counter> ips_, subnets_;
  Clock::time_point lastPrune_{};
};

}  // namespace portcullis::firewall
