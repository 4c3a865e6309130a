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

}  // namespace portcullis::reputation
