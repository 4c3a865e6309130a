// Reputation store backends side by side, in one run: updates (one transaction per message of
// 10 keys, as learning from a verdict writes) and lookups (10 keys per message, as the check
// reads), for N distinct keys; then the size per million keys (LMDB: pages in use and the
// data file; memory: RSS growth; Redis: the server's used_memory growth). Also the firewall's
// shared-state call per connection (count the address and its subnet, then read the client's
// remembered result), as connections per second. Medians of R rounds.
//
// Redis: a redis-server started on a free loopback port for the run (or --redis URL).
//
// usage: bench/reputation_store [--keys 1000000] [--rounds 3] [--dir /tmp/x] [--redis URL]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "reputation/redis_store.h"
#include "reputation/store.h"
#include "tests/tools/redis_server.h"

using namespace portcullis::reputation;
using Clock = std::chrono::steady_clock;

namespace {

long rssKib() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
  return 0;
}

Key keyFor(long i) {
  Key k;
  k.kind = i % 3 == 0 ? KeyKind::Ip : (i % 3 == 1 ? KeyKind::DkimDomain : KeyKind::UrlHost);
  if (k.kind == KeyKind::Ip)
    k.value = "10." + std::to_string((i >> 16) & 255) + "." + std::to_string((i >> 8) & 255) + "." +
              std::to_string(i & 255);
  else
    k.value = "d" + std::to_string(i) + ".example";
  return k;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct Figures {
  double updates = 0;      // keys updated per second
  double lookups = 0;      // keys looked up per second
  double connections = 0;  // firewall admissions (2 rate counts + 1 read) per second
};

Figures run(Store& store, long keys, int rounds, std::mt19937& rng) {
  std::vector<double> up, look;
  const int perMessage = 10;
  // Fill: every key once, in message-sized transactions (not timed).
  for (long i = 0; i < keys; i += perMessage) {
    std::vector<Key> batch;
    for (long j = i; j < std::min(keys, i + perMessage); ++j) batch.push_back(keyFor(j));
    store.update(batch, Delta::of(Outcome::Ham), 1000, 30 * 86400.0);
  }
  std::uniform_int_distribution<long> pick(0, keys - 1);
  for (int r = 0; r < rounds; ++r) {
    const int messages = 20000;
    std::vector<std::vector<Key>> batches(messages);
    for (auto& b : batches)
      for (int j = 0; j < perMessage; ++j) b.push_back(keyFor(pick(rng)));
    auto t = Clock::now();
    for (auto& b : batches) store.update(b, Delta::of(Outcome::Spam), 2000 + r, 30 * 86400.0);
    up.push_back(messages * perMessage / std::chrono::duration<double>(Clock::now() - t).count());
    t = Clock::now();
    size_t found = 0;
    for (auto& b : batches)
      for (auto& rec : store.get(b)) found += rec.has_value();
    look.push_back(messages * perMessage / std::chrono::duration<double>(Clock::now() - t).count());
    if (found != batches.size() * perMessage) std::fprintf(stderr, "missing keys!\n");
  }
  std::vector<double> conn;
  for (int r = 0; r < rounds; ++r) {
    const int connections = 20000;
    auto t = Clock::now();
    for (int i = 0; i < connections; ++i) {
      const std::string ip =
          "10.9." + std::to_string((i >> 8) & 255) + "." + std::to_string(i & 255);
      store.countEvents({"conn:" + ip, "conn:10.9." + std::to_string((i >> 8) & 255) + ".0/24"}, 60,
                        int64_t(3000 + r) * 1000);
      (void)store.getValue("client:" + ip, 3000 + r);
    }
    conn.push_back(connections / std::chrono::duration<double>(Clock::now() - t).count());
  }
  return {median(up), median(look), median(conn)};
}

}  // namespace

int main(int argc, char** argv) {
  long keys = 1'000'000;
  int rounds = 3;
  std::string dir = "/tmp/portcullis-bench-reputation-" + std::to_string(getpid());
  std::string redisUrl;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--redis")) redisUrl = argv[i + 1];
    if (!std::strcmp(argv[i], "--keys")) keys = std::stol(argv[i + 1]);
    if (!std::strcmp(argv[i], "--rounds")) rounds = std::stoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
  }
  std::mt19937 rng(42);
  std::string error;
  std::printf("%ld keys, messages of 10 keys, median of %d rounds of 20,000 messages\n", keys,
              rounds);

  const long before = rssKib();
  auto memory = openStore("memory:", &error);
  Figures m = run(*memory, keys, rounds, rng);
  const long memKib = rssKib() - before;
  memory.reset();

  std::filesystem::remove_all(dir);
  auto lmdb = openStore("lmdb:" + dir, &error);
  if (!lmdb) return std::fprintf(stderr, "%s\n", error.c_str()), 1;
  Figures l = run(*lmdb, keys, rounds, rng);
  auto st = lmdb->stats();
  const auto file = std::filesystem::file_size(std::filesystem::path(dir) / "data.mdb");
  lmdb.reset();
  std::filesystem::remove_all(dir);

  std::unique_ptr<portcullis::testing::RedisServer> server;
  if (redisUrl.empty()) {
    try {
      server = std::make_unique<portcullis::testing::RedisServer>();
    } catch (const std::exception& e) {
      return std::fprintf(stderr, "%s\n", e.what()), 1;
    }
    redisUrl = server->url("?timeout_ms=5000");
  }
  auto redis = openStore(redisUrl, &error);
  if (!redis) return std::fprintf(stderr, "%s\n", error.c_str()), 1;
  const uint64_t redisBefore = redis->stats().bytes;
  Figures rd = run(*redis, keys, rounds, rng);
  const uint64_t redisBytes = redis->stats().bytes - redisBefore;

  const double perMillion = 1e6 / static_cast<double>(keys);
  std::printf("  %-7s %12s %12s %13s  %s\n", "backend", "updates/s", "lookups/s", "connections/s",
              "size per million keys");
  std::printf("  %-7s %12.0f %12.0f %13.0f  %.0f MiB RSS\n", "memory", m.updates, m.lookups,
              m.connections, memKib * perMillion / 1024);
  std::printf("  %-7s %12.0f %12.0f %13.0f  %.0f MiB in pages, %.0f MiB data file\n", "lmdb",
              l.updates, l.lookups, l.connections, st.bytes * perMillion / 1048576.0,
              file * perMillion / 1048576.0);
  std::printf("  %-7s %12.0f %12.0f %13.0f  %.0f MiB server memory\n", "redis", rd.updates,
              rd.lookups, rd.connections, redisBytes * perMillion / 1048576.0);
  std::printf(
      "  ratio to memory: lmdb updates %.3f lookups %.2f connections %.3f; "
      "redis updates %.3f lookups %.2f connections %.3f\n",
      l.updates / m.updates, l.lookups / m.lookups, l.connections / m.connections,
      rd.updates / m.updates, rd.lookups / m.lookups, rd.connections / m.connections);
  return 0;
}
