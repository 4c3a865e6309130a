#include "reputation/memory_store.h"

namespace portcullis::reputation {

std::vector<std::optional<Record>> MemoryStore::get(const std::vector<Key>& keys) {
  std::lock_guard lock(mutex_);
  std::vector<std::optional<Record>> out;
  for (const auto& k : keys) {
    auto it = records_.find(k.str());
    out.push_back(it == records_.end() ? std::nullopt : std::optional<Record>(it->second));
  }
  return out;
}

void MemoryStore::update(const std::vector<Key>& keys, const Delta& delta, int64_t now,
                         double halfLifeSeconds) {
  std::lock_guard lock(mutex_);
  for (const auto& k : keys) apply(records_[k.str()].counters, delta, now, halfLifeSeconds);
}

void MemoryStore::setOverride(const Key& key, Override o, int64_t now) {
  std::lock_guard lock(mutex_);
  Record& r = records_[key.str()];
  r.override = o;
  r.overrideSet = now;
}

StoreStats MemoryStore::stats() {
  std::lock_guard lock(mutex_);
  StoreStats s;
  s.keys = records_.size();
  for (const auto& [k, r] : records_) s.bytes += k.size() + sizeof(Record) + 32;
  return s;
}

std::vector<double> MemoryStore::countEvents(const std::vector<std::string>& names,
                                             int windowSeconds, int64_t nowMs) {
  std::lock_guard lock(mutex_);
  const auto w = RateWindow::at(nowMs, windowSeconds);
  std::vector<double> out;
  for (const auto& n : names) {
    Rate& r = rates_[n];
    if (r.index != w.index) {
      r.previous = r.index + 1 == w.index ? r.current : 0;
      r.current = 0;
      r.index = w.index;
      r.windowMs = int64_t(windowSeconds) * 1000;
    }
    r.current += 1;
    out.push_back(r.current + r.previous * w.previousWeight);
  }
  if (++writes_ % 4096 == 0) prune(nowMs);
  return out;
}

std::optional<std::string> MemoryStore::getValue(const std::string& name, int64_t now) {
  std::lock_guard lock(mutex_);
  auto it = values_.find(name);
  if (it == values_.end() || it->second.expires <= now) return std::nullopt;
  return it->second.value;
}

bool MemoryStore::putValueUnless(const std::string& name, const std::string& value, int ttlSeconds,
                                 int64_t now, std::string_view keepPrefix) {
  std::lock_guard lock(mutex_);
  if (auto it = values_.find(name); !keepPrefix.empty() && it != values_.end() &&
                                    it->second.expires > now &&
                                    it->second.value.starts_with(keepPrefix))
    return false;
  values_[name] = Value{value, now + ttlSeconds};
  if (++writes_ % 4096 == 0) prune(now * 1000);
  return true;
}

// Drops expired values, and rates nobody counted in for two windows (they read as zero).
void MemoryStore::prune(int64_t nowMs) {
  std::erase_if(values_, [&](const auto& kv) { return kv.second.expires * 1000 <= nowMs; });
  std::erase_if(
      rates_, [&](const auto& kv) { return (kv.second.index + 2) * kv.second.windowMs <= nowMs; });
}

}  // namespace portcullis::reputation
