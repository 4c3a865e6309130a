// `lmdb:/dir`: the embedded default. LMDB rather than SQLite because:
//   - reads are memory-mapped B-tree lookups with no query parsing and no locks, and readers
//     never wait for the writer: a lookup on every message costs microseconds;
//   - its copy-on-write pages make a commit atomic without a journal to replay: a process
//     killed at any instant (kill -9 mid-write) leaves the last committed state, and opening
//     it needs no recovery step (tests/integration/test_reputation_store.py does exactly this);
//   - several processes may open the same directory (the gateway and `portcullis reputation
//     show`), with writers serialised by LMDB's own lock.
// SQLite would give ad-hoc SQL, but a per-lookup statement machine and a write lock that
// needs WAL tuning to keep readers going; the store needs key -> record, nothing more.
//
// Commits use MDB_NOMETASYNC: the data pages are flushed, the meta page is not, so an operating
// system crash can undo the last commit but never corrupt the database (a killed process loses
// nothing either way). Reputation is statistics; one lost message's counts are fine.
#pragma once
#include <memory>
#include <string>

#include "reputation/store.h"

struct MDB_txn;

namespace portcullis::reputation {

class LmdbStore final : public Store {
 public:
  // Creates the directory if needed. Null with `error` set on failure.
  static std::unique_ptr<LmdbStore> open(const std::string& dir, size_t mapSize,
                                         std::string* error);
  ~LmdbStore() override;

  std::vector<std::optional<Record>> get(const std::vector<Key>& keys) override;
  void update(const std::vector<Key>& keys, const Delta& delta, int64_t now,
              double halfLifeSeconds) override;
  void setOverride(const Key& key, Override o, int64_t now) override;
  StoreStats stats() override;
  std::string describe() const override { return "lmdb:" + dir_; }
  std::vector<double> countEvents(const std::vector<std::string>& names, int windowSeconds,
                                  int64_t nowMs) override;
  std::optional<std::string> getValue(const std::string& name, int64_t now) override;
  bool putValueUnless(const std::string& name, const std::string& value, int ttlSeconds,
                      int64_t now, std::string_view keepPrefix) override;

 private:
  struct Env;
  LmdbStore(std::string dir, std::unique_ptr<Env> env);
  template <typename F>
  void write(F&& change);
  void pruneState(MDB_txn* txn, int64_t nowMs);

  std::string dir_;
  std::unique_ptr<Env> env_;
};

}  // namespace portcullis::reputation
