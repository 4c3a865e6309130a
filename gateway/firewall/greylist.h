// Greylisting: the first message of a (client subnet, sender, recipient) triplet is answered
// 451; a retry after `delay` and within `retryWindow` passes, and the triplet is remembered.
// A subnet that passed `autoAllowlistAfter` retries skips greylisting altogether. In memory,
// shared by every worker and kept across reloads; with a shared store (Redis) the triplets
// live there instead (checkShared), so a retry may reach any node. Time is passed in, for tests.
#pragma once
#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "gateway/core/ip_address.h"
#include "gateway/firewall/settings.h"
#include "reputation/store.h"

namespace portcullis::firewall {

class Greylist {
 public:
  using Clock = std::chrono::system_clock;
  enum class Result { Pass, Allowlisted, Greylisted };
  struct Outcome {
    Result result = Result::Pass;
    std::chrono::seconds retryAfter{0};  // Greylisted: how long until a retry passes
    std::string reason;                  // for the log
  };

  // One decision for a message to `recipients`: greylisted while any triplet is.
  Outcome check(const GreylistSettings& s, const core::IpAddress& client, const std::string& sender,
                const std::vector<std::string>& recipients, Clock::time_point now);
  // The same decision with the triplets in a shared store; blocks on it and throws
  // reputation::StoreError when it fails.
  static Outcome checkShared(reputation::Store& store, const GreylistSettings& s,
                             const core::IpAddress& client, const std::string& sender,
                             const std::vector<std::string>& recipients, Clock::time_point now);
  size_t size() const;

  // The sender as greylisting compares it: lower case, without a +extension and without
  // BATV/SRS-style per-message tags, which change on every retry.
  static std::string normalizeSender(const std::string& sender);

 private:
  struct Triplet {
    Clock::time_point first;
    Clock::time_point passedUntil{};  // set once a retry passed
  };
  struct Subnet {
    int passes = 0;
    Clock::time_point until{};
  };
  struct MapTable;
  struct StoreTable;
  template <typename Table>
  static Outcome decide(Table& table, const GreylistSettings& s, const core::IpAddress& client,
                        const std::string& sender, const std::vector<std::string>& recipients,
                        Clock::time_point now);
  void prune(const GreylistSettings& s, Clock::time_point now);

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Triplet> triplets_;
  std::unordered_map<std::string, Subnet> subnets_;
  Clock::time_point lastPrune_{};
};

}  // namespace portcullis::firewall
