#include "gateway/firewall/client_cache.h"

namespace portcullis::firewall {

std::optional<ClientCache::Entry> ClientCache::get(const std::string& ip, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(ip);
  if (it == entries_.end()) return std::nullopt;
  if (it->second.expires <= now) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second;
}

void ClientCache::pass(const std::string& ip, std::chrono::seconds ttl, Clock::time_point now) {
  if (ttl.count() <= 0) return;
  std::lock_guard lock(mutex_);
  // A session that began before another connection from this address failed a test must not
  // wash that failure out when it ends (checked and written under one lock).
  if (auto it = entries_.find(ip);
      it != entries_.end() && !it->second.passed && it->second.expires > now)
    return;
  put(ip, Entry{true, now + ttl, ""}, now);
}

void ClientCache::fail(const std::string& ip, std::string reason, std::chrono::seconds ttl,
                       Clock::time_point now) {
  if (ttl.count() <= 0) return;
  std::lock_guard lock(mutex_);
  put(ip, Entry{false, now + ttl, std::move(reason)}, now);
}

void ClientCache::setCapacity(size_t maxEntries) {
  std::lock_guard lock(mutex_);
  max_ = maxEntries;
}

size_t ClientCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void ClientCache::put(const std::string& ip, Entry e, Clock::time_point now) {
  if (max_ == 0) return;
  if (entries_.size() >= max_ && !entries_.contains(ip)) {
    std::erase_if(entries_, [now](const auto& kv) { return kv.second.expires <= now; });
    // Still full: drop the entry closest to expiry. A failure outranks a pass when full, so a
    // flood of new passing addresses cannot wash out what is known about bad ones.
    if (entries_.size() >= max_) {
      auto victim = entries_.end();
      for (auto it = entries_.begin(); it != entries_.end(); ++it) {
        auto rank = [](const Entry& x) { return std::pair(!x.passed, x.expires); };
        if (victim == entries_.end() || rank(it->second) < rank(victim->second)) victim = it;
      }
      entries_.erase(victim);
    }
  }
  entries_[ip] = std::move(e);
}

}  // namespace portcullis::firewall
