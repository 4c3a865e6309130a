// For the crash test: `store_writer write URL` commits updates as fast as it can, each one a
// transaction touching a counter key and 50 fresh keys (so pages split and the tree grows
// while it is killed), and prints the number of committed transactions after each commit.
// `store_writer verify URL` reopens the store, decodes every record and prints
// "records=N counter=C undecodable=U".
#include <lmdb.h>

#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include "reputation/counters.h"
#include "reputation/store.h"

using namespace portcullis::reputation;

namespace {
Key key(const std::string& text) {
  std::string why;
  return *Key::parse(text, &why);
}

int verify(const std::string& dir) {
  // Killed before its first commit, the writer may have left no store, or files it had only
  // begun to create: that is "nothing committed", which LMDB must open as an empty store.
  std::filesystem::create_directories(dir);
  MDB_env* env = nullptr;
  MDB_txn* txn = nullptr;
  MDB_dbi dbi;
  MDB_cursor* cur = nullptr;
  if (mdb_env_create(&env)) return std::printf("cannot create an environment\n"), 1;
  // Records live in the store's "records" database. A write transaction, so that a writer
  // killed before it created that database reads as empty (the transaction is not committed).
  if (mdb_env_set_mapsize(env, size_t(1) << 30) || mdb_env_set_maxdbs(env, 2) ||
      mdb_env_open(env, dir.c_str(), 0, 0640) || mdb_txn_begin(env, nullptr, 0, &txn) ||
      mdb_dbi_open(txn, "records", MDB_CREATE, &dbi) || mdb_cursor_open(txn, dbi, &cur)) {
    std::printf("cannot open %s\n", dir.c_str());
    std::fflush(stdout);
    if (txn) mdb_txn_abort(txn);
    mdb_env_close(env);
    return 1;
  }
  MDB_val k, v;
  long records = 0, undecodable = 0;
  double counter = -1;
  for (int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
       rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
    ++records;
    auto r = decode({static_cast<const char*>(v.mv_data), v.mv_size});
    if (!r) {
      ++undecodable;
      continue;
    }
    if (std::string(static_cast<const char*>(k.mv_data), k.mv_size) == "ip:192.0.2.1")
      counter = r->counters.spam;
  }
  std::printf("records=%ld counter=%.0f undecodable=%ld\n", records, counter, undecodable);
  mdb_cursor_close(cur);
  mdb_txn_abort(txn);
  mdb_env_close(env);
  return 0;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return std::fprintf(stderr, "usage: store_writer write|verify URL\n"), 2;
  const std::string mode = argv[1], url = argv[2];
  if (mode == "verify") return verify(url.substr(url.find(':') + 1));
  std::string error;
  auto store = openStore(url, &error);
  if (!store) return std::fprintf(stderr, "%s\n", error.c_str()), 1;
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  static long base = std::random_device{}() % 1000000;
  for (long i = 1;; ++i) {
    std::vector<Key> keys{key("ip:192.0.2.1")};
    for (int j = 0; j < 50; ++j)
      keys.push_back(key("url:h" + std::to_string(base) + "-" + std::to_string(i) + "-" +
                         std::to_string(j) + ".example"));
    // No decay (a fixed time), so the counter is exactly the number of commits.
    store->update(keys, Delta::of(Outcome::Spam), 1000, 1e12);
    std::printf("%ld\n", i);
  }
}
