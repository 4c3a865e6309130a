#include "reputation/lmdb_store.h"

#include <lmdb.h>
#include <sys/stat.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace portcullis::reputation {

struct LmdbStore::Env {
  MDB_env* env = nullptr;
  MDB_dbi dbi = 0;    // "records": reputation
  MDB_dbi state = 0;  // "state": the firewall's rates and values, with their expiry
  std::atomic<uint64_t> stateWrites{0};
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
      throw StoreError(lmdbError("reputation store: read", rc));
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
  if (int rc = mdb_env_set_maxdbs(env->env, 2)) return fail("databases", rc);
  // MDB_NOTLS: read transactions are not tied to a thread (pool threads share the store).
  if (int rc = mdb_env_open(env->env, dir.c_str(), MDB_NOTLS | MDB_NOMETASYNC, 0640))
    return fail("open", rc);
  MDB_txn* txn = nullptr;
  if (int rc = mdb_txn_begin(env->env, nullptr, 0, &txn)) return fail("begin", rc);
  for (auto [name, dbi] : {std::pair{"records", &env->dbi}, std::pair{"state", &env->state}})
    if (int rc = mdb_dbi_open(txn, name, MDB_CREATE, dbi)) {
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
    throw StoreError(lmdbError("reputation store: write", rc));
  try {
    change(txn);
  } catch (...) {
    mdb_txn_abort(txn);
    throw;
  }
  if (int rc = mdb_txn_commit(txn)) throw StoreError(lmdbError("reputation store: commit", rc));
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
    throw StoreError(lmdbError("reputation store: put", rc));
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

namespace {
// State values: a kind byte, then fixed little-endian fields.
//   'v' expires(8) value...          a value with its expiry (unix seconds)
//   'r' index(8) windowMs(8) current(8) previous(8)   a rate's two windows
void putRaw(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}
uint64_t getRaw(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}
double asDouble(uint64_t v) {
  double d;
  std::memcpy(&d, &v, sizeof d);
  return d;
}
uint64_t asBits(double d) {
  uint64_t v;
  std::memcpy(&v, &d, sizeof v);
  return v;
}
constexpr size_t kRateSize = 1 + 4 * 8;

// When the entry expires (ms), or 0 when it is not one of ours.
int64_t expiresMs(std::string_view v) {
  if (v.size() >= 9 && v[0] == 'v') return int64_t(getRaw(v.data() + 1)) * 1000;
  if (v.size() == kRateSize && v[0] == 'r')
    return (int64_t(getRaw(v.data() + 1)) + 2) * int64_t(getRaw(v.data() + 9));
  return 0;
}

std::string_view view(const MDB_val& v) {
  return {static_cast<const char*>(v.mv_data), v.mv_size};
}
}  // namespace

std::vector<double> LmdbStore::countEvents(const std::vector<std::string>& names, int windowSeconds,
                                           int64_t nowMs) {
  const auto w = RateWindow::at(nowMs, windowSeconds);
  std::vector<double> out;
  write([&](MDB_txn* txn) {
    for (const auto& n : names) {
      MDB_val key = val(n), data;
      int64_t index = w.index;
      double current = 0, previous = 0;
      if (mdb_get(txn, env_->state, &key, &data) == 0 && data.mv_size == kRateSize &&
          view(data)[0] == 'r') {
        const char* p = static_cast<const char*>(data.mv_data);
        const int64_t was = int64_t(getRaw(p + 1));
        if (was == w.index) {
          current = asDouble(getRaw(p + 17));
          previous = asDouble(getRaw(p + 25));
        } else if (was + 1 == w.index) {
          previous = asDouble(getRaw(p + 17));
        }
      }
      current += 1;
      out.push_back(current + previous * w.previousWeight);
      std::string bytes = "r";
      putRaw(bytes, uint64_t(index));
      putRaw(bytes, uint64_t(windowSeconds > 0 ? windowSeconds : 1) * 1000);
      putRaw(bytes, asBits(current));
      putRaw(bytes, asBits(previous));
      MDB_val d = val(bytes);
      if (int rc = mdb_put(txn, env_->state, &key, &d, 0))
        throw StoreError(lmdbError("reputation store: put", rc));
    }
    pruneState(txn, nowMs);
  });
  return out;
}

std::optional<std::string> LmdbStore::getValue(const std::string& name, int64_t now) {
  ReadTxn t(env_->env);
  MDB_val key = val(name), data;
  if (mdb_get(t.txn, env_->state, &key, &data) != 0) return std::nullopt;
  auto v = view(data);
  if (v.size() < 9 || v[0] != 'v' || int64_t(getRaw(v.data() + 1)) <= now) return std::nullopt;
  return std::string(v.substr(9));
}

bool LmdbStore::putValueUnless(const std::string& name, const std::string& value, int ttlSeconds,
                               int64_t now, std::string_view keepPrefix) {
  std::string bytes = "v";
  putRaw(bytes, uint64_t(now + ttlSeconds));
  bytes += value;
  bool written = false;
  // Read and write in one write transaction: LMDB has one writer at a time, across processes.
  write([&](MDB_txn* txn) {
    MDB_val key = val(name), d;
    if (!keepPrefix.empty() && mdb_get(txn, env_->state, &key, &d) == 0) {
      auto v = view(d);
      if (v.size() >= 9 && v[0] == 'v' && int64_t(getRaw(v.data() + 1)) > now &&
          v.substr(9).starts_with(keepPrefix))
        return;
    }
    d = val(bytes);
    if (int rc = mdb_put(txn, env_->state, &key, &d, 0))
      throw StoreError(lmdbError("reputation store: put", rc));
    written = true;
    pruneState(txn, now * 1000);
  });
  return written;
}

// Every few thousand writes, one write also sweeps out what expired, so the state database
// stays as large as what is live.
void LmdbStore::pruneState(MDB_txn* txn, int64_t nowMs) {
  if (++env_->stateWrites % 4096 != 0) return;
  MDB_cursor* cursor = nullptr;
  if (mdb_cursor_open(txn, env_->state, &cursor) != 0) return;
  MDB_val key, data;
  for (int rc = mdb_cursor_get(cursor, &key, &data, MDB_FIRST); rc == 0;
       rc = mdb_cursor_get(cursor, &key, &data, MDB_NEXT))
    if (expiresMs(view(data)) <= nowMs) mdb_cursor_del(cursor, 0);
  mdb_cursor_close(cursor);
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
