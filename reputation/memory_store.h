// `memory:`: a map in this process. For tests and single runs; nothing survives a restart.
#pragma once
#include <mutex>
#include <unordered_map>

#include "reputation/store.h"

namespace portcullis::reputation {

class MemoryStore final : public Store {
 public:
  std::vector<std::optional<Record>> get(const std::vector<Key>& keys) override;
  void update(const std::vector<Key>& keys, const Delta& delta, int64_t now,
              double halfLifeSeconds) override;
  void setOverride(const Key& key, Override o, int64_t now) override;
  StoreStats stats() override;
  std::string describe() const override { return "memory:"; }

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, Record> records_;
};

}  // namespace portcullis::reputation
