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
  std::vector<double> countEvents(const std::vector<std::string>& names, int windowSeconds,
                                  int64_t nowMs) override;
  std::optional<std::string> getValue(const std::string& name, int64_t now) override;
  bool putValueUnless(const std::string& name, const std::string& value, int ttlSeconds,
                      int64_t now, std::string_view keepPrefix) override;

 private:
  struct Rate {
    int64_t index = 0;
    int64_t windowMs = 0;
    double current = 0, previous = 0;
  };
  struct Value {
    std::string value;
    int64_t expires = 0;
  };
  void prune(int64_t nowMs);

  std::mutex mutex_;
  std::unordered_map<std::string, Record> records_;
  std::unordered_map<std::string, Rate> rates_;
  std::unordered_map<std::string, Value> values_;
  uint64_t writes_ = 0;
};

}  // namespace portcullis::reputation
