#include "reputation/lmdb_store.h"

#include <lmdb.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace portcullis::reputation {

struct LmdbStore::Env {
  MDB_env* env = nullptr;
  MDB_dbi dbi = 0;
  ~Env() {
    if (env) mdb_env_close(env);
  }
};

namespace {

std::string lmdbError(const char* what, int rc) {
  return std::string(what) + ": " + mdb_strerror(rc);
}

// Read-only transactions end on scope exit, whatever happens in between.
struct ReadTxn {
  MDB_txn* txn = nullptr;
  explicit ReadTxn(MDB_env* env) {
    if (int rc = mdb_txn_begin(env, nullptr, MDB_RDONLY, &txn))
      throw std::runtime_error(lmdbError("reputation store: read", rc));
  }
  ~ReadTxn() { mdb_txn_abort(txn); }
};

MDB_val val(const std::string& s) {
  return MDB_val{s.size(), const_cast<char*>(s.data())};
}

bool makeDirs(const std::string& dir, std::string* error) {
  for (size_t i = 1; i <= dir.size(); ++i) {
    if (i != dir.size() && dir[i] != '/') continue;
    std::string part = dir.substr(0, i);
    if (mkdir(part.c_str(), 0750) != 0 && errno != EEXIST) {
      *error = "cannot create " + part + ": " + std::strerror(errno);
      return false;
    }
  }
  return true;
}

}  // namespace

LmdbStore::LmdbStore(std::string dir, std::unique_ptr<Env> env)
    : dir_(std::move(dir)), env_(std::move(env)) {}

LmdbStore::~LmdbStore() = default;

std::unique_ptr<LmdbStore> LmdbStore::open(const std::string& dir, size_t mapSize,
                                           std::string* error) {
  if (!makeDirs(dir, error)) return nullptr;
  auto env = std::make_unique<Env>();
  auto fail = [&](const char* what, int rc) {
    *error = "lmdb:" + dir + ": " + lmdbError(what, rc);
    return nullptr;
  };
  if (int rc = mdb_env_create(&env->env)) return fail("create", rc);
  if (int rc = mdb_env_set_mapsize(env->env, mapSize)) return fail("map size", rc);
  // MDB_NOTLS: read transactions are not tied to a thread (pool threads share the store).
  if (int rc = mdb_env_open(env->env, dir.c_str(), MDB_NOTLS | MDB_NOMETASYNC, 0640))
    return fail("open", rc);
  MDB_txn* txn = nullptr;
  if (int rc = mdb_txn_begin(env->env, nullptr, 0, &txn)) return fail("begin", rc);
  if (int rc = mdb_dbi_open(txn, nullptr, 0, &env->dbi)) {
    mdb_txn_abort(txn);
    return fail("database", rc);
  }
  if (int rc = mdb_txn_commit(txn)) return fail("commit", rc);
  return std::unique_ptr<LmdbStore>(new LmdbStore(dir, std::move(env)));
}

std::vector<std::optional<Record>> LmdbStore::get(const std::vector<Key>& keys) {
  ReadTxn t(env_->env);
  std::vector<std::optional<Record>> out;
  for (const auto& k : keys) {
    const std::string name = k.str();
    MDB_val key = val(name), data;
    if (mdb_get(t.txn, env_->dbi, &key, &data) == 0)
      out.push_back(decode({static_cast<const char*>(data.mv_data), data.mv_size}));
    else
      out.push_back(std::nullopt);
  }
  return out;
}

template <typename F>
void LmdbStore::write(F&& change) {
  // LMDB serialises writers (across processes too); one transaction is one atomic commit.
  MDB_txn* txn = nullptr;
  if (int rc = mdb_txn_begin(env_->env, nullptr, 0, &txn))
    throw std::runtime_error(lmdbError("reputation store: write", rc));
  try {
    change(txn);
  } catch (...) {
    mdb_txn_abort(txn);
    throw;
  }
  if (int rc = mdb_txn_commit(txn))
    throw std::runtime_error(lmdbError("reputation store: commit", rc));
}

namespace {
Record current(MDB_txn* txn, MDB_dbi dbi, const std::string& name) {
  MDB_val key = val(name), data;
  if (mdb_get(txn, dbi, &key, &data) == 0)
    if (auto r = decode({static_cast<const char*>(data.mv_data), data.mv_size})) return *r;
  return Record{};  // absent, or unreadable (then overwritten)
}

void put(MDB_txn* txn, MDB_dbi dbi, const std::string& name, const Record& r) {
  const std::string bytes = encode(r);
  MDB_val key = val(name), data = val(bytes);
  if (int rc = mdb_put(txn, dbi, &key, &data, 0))
    throw std::runtime_error(lmdbError("reputation store: put", rc));
}
}  // namespace

void LmdbStore::update(const std::vector<Key>& keys, const Delta& delta, int64_t now,
                       double halfLifeSeconds) {
  write([&](MDB_txn* txn) {
    for (const auto& k : keys) {
      const std::string name = k.str();
      Record r = current(txn, env_->dbi, name);
      apply(r.counters, delta, now, halfLifeSeconds);
      put(txn, env_->dbi, name, r);
    }
  });
}

void LmdbStore::setOverride(const Key& key, Override o, int64_t now) {
  write([&](MDB_txn* txn) {
    const std::string name = key.str();
    Record r = current(txn, env_->dbi, name);
    r.override = o;
    r.overrideSet = now;
    put(txn, env_->dbi, name, r);
  });
}

StoreStats LmdbStore::stats() {
  ReadTxn t(env_->env);
  MDB_stat st;
  mdb_stat(t.txn, env_->dbi, &st);
  StoreStats s;
  s.keys = st.ms_entries;
  s.bytes = static_cast<uint64_t>(st.ms_branch_pages + st.ms_leaf_pages + st.ms_overflow_pages) *
            st.ms_psize;
  return s;
}

}  // namespace portcullis::reputation
