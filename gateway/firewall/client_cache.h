// What the firewall remembers about client addresses between connections: passed every test
// (skips the greeting delay next time) or failed one (refused at connect). In memory, shared by
// every worker and kept across reloads; with a shared store (Redis) it lives there instead
// (shared_state.h).
#pragma once
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace portcullis::firewall {

class ClientCache {
 public:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    bool passed = false;
    Clock::time_point expires;
    std::string reason;  // the failing test's symbol, or "" for a pass
  };

  explicit ClientCache(size_t maxEntries = 200'000) : max_(maxEntries) {}
  std::optional<Entry> get(const std::string& ip, Clock::time_point now);
  void pass(const std::string& ip, std::chrono::seconds ttl, Clock::time_point now);
  void fail(const std::string& ip, std::string reason, std::chrono::seconds ttl,
            Clock::time_point now);
  void setCapacity(size_t maxEntries);
  size_t size() const;

 private:
  void put(const std::string& ip, Entry e, Clock::time_point now);  // mutex_ held

  mutable std::mutex mutex_;
  size_t max_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace portcullis::firewall
