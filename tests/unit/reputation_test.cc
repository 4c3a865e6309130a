// The reputation library: keys and their poisoning rules, decaying counters, scores with
// confidence, and one store suite run against every backend.
#include <hiredis/hiredis.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "reputation/lmdb_store.h"
#include "reputation/memory_store.h"
#include "reputation/redis_store.h"
#include "reputation/score.h"
#include "reputation/store.h"
#include "tests/tools/redis_server.h"

using namespace portcullis::reputation;
using portcullis::testing::RedisServer;

namespace {
Key key(const char* text) {
  std::string why;
  auto k = Key::parse(text, &why);
  INFO(why);
  REQUIRE(k);
  return *k;
}

std::string tempDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("portcullis-rep-" + name + "-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  return dir.string();
}
}  // namespace

TEST_CASE("reputation keys: text form and validation") {
  CHECK(key("ip:192.0.2.1").str() == "ip:192.0.2.1");
  CHECK(key("net:192.0.2.0/24").kind == KeyKind::Net);
  CHECK(key("net:2001:db8:1:2::/64").str() == "net:2001:db8:1:2::/64");
  CHECK(key("from:Example.COM.").str() == "from:example.com");
  std::string why;
  for (const char* bad : {"192.0.2.1", "ip:192.0.2", "net:192.0.2.1/24", "zz:example.com",
                          "from:exa mple.com", "dkim:", "url:a..b"}) {
    INFO(bad);
    CHECK_FALSE(Key::parse(bad, &why));
    CHECK_FALSE(why.empty());
  }
}

TEST_CASE("reputation keys: only authenticated identities name a domain") {
  Identity id;
  id.clientIp = "192.0.2.77";
  id.helo = "mail.bank.example";  // claimed, not the client's verified name
  id.envelopeDomain = "bank.example";
  id.fromDomain = "bank.example";
  id.urlHosts = {"a.example", "a.example", "b.example"};
  auto keys = keysFor(id);
  std::vector<std::string> names;
  for (auto& k : keys) names.push_back(k.str());
  // A forger gets its IP and network and URLs remembered, never the bank's domain or name.
  CHECK(names == std::vector<std::string>{"ip:192.0.2.77", "net:192.0.2.0/24", "url:a.example",
                                          "url:b.example"});
  id.verifiedName = "mail.bank.example";
  id.spfPass = true;
  id.dmarcPass = true;
  id.dkimDomains = {"bank.example", "esp.example"};
  names.clear();
  for (auto& k : keysFor(id)) names.push_back(k.str());
  CHECK(names == std::vector<std::string>{
                     "ip:192.0.2.77", "net:192.0.2.0/24", "helo:mail.bank.example",
                     "env:bank.example", "spf:bank.example", "from:bank.example",
                     "dkim:bank.example", "dkim:esp.example", "url:a.example", "url:b.example"});
  Identity v6;
  v6.clientIp = "2001:db8:1:2:3::9";
  CHECK(keysFor(v6)[1].str() == "net:2001:db8:1:2::/64");
}

TEST_CASE("reputation counters decay with their half-life and encode losslessly") {
  Counters c;
  apply(c, Delta::of(Outcome::Spam), 1000, 100);
  apply(c, Delta::of(Outcome::Spam), 1000, 100);
  CHECK(c.spam == 2);
  decayTo(c, 1100, 100);
  CHECK(c.spam == Approx(1.0));
  CHECK(c.total == Approx(1.0));
  apply(c, Delta::of(Outcome::Rejected), 1200, 100);
  CHECK(c.spam == Approx(1.5));
  CHECK(c.rejected == Approx(1.0));
  Record r{c, Override::Deny, 1234};
  auto back = decode(encode(r));
  REQUIRE(back);
  CHECK(back->counters.spam == c.spam);
  CHECK(back->counters.updated == 1200);
  CHECK(back->override == Override::Deny);
  CHECK_FALSE(decode(""));
  CHECK_FALSE(decode(encode(r).substr(1)));
  std::string bad = encode(r);
  bad[0] = 9;  // unknown version
  CHECK_FALSE(decode(bad));
}

TEST_CASE("reputation scores grow with confidence") {
  ScoreSettings s;
  const int64_t now = 1'000'000;
  auto recordOf = [&](double spam, double ham) {
    Record r;
    r.counters.spam = spam;
    r.counters.ham = ham;
    r.counters.updated = now;
    return r;
  };
  const Key ip = key("ip:192.0.2.1");
  CHECK(assess(ip, recordOf(2, 0), now, s).symbol.empty());  // twice: says nothing yet
  auto few = assess(ip, recordOf(5, 0), now, s);
  auto many = assess(ip, recordOf(1000, 0), now, s);
  CHECK(few.symbol == "IP_REPUTATION_BAD");
  CHECK(many.symbol == "IP_REPUTATION_BAD");
  CHECK(few.score < 2.0);
  CHECK(many.score > 5.9);
  CHECK(many.score <= s.maxBad);
  auto good = assess(key("dkim:example.com"), recordOf(0, 500), now, s);
  CHECK(good.symbol == "DOMAIN_REPUTATION_GOOD");
  CHECK(good.score < -2.5);
  CHECK(assess(ip, recordOf(50, 50), now, s).symbol.empty());  // mixed: no verdict
  // Old evidence fades: 1000 spams a year ago are worth little now.
  auto old = assess(ip, recordOf(1000, 0), now + 365 * 86400, s);
  CHECK(old.score < 0.5);
  Record allow = recordOf(1000, 0);
  allow.override = Override::Allow;
  CHECK(assess(ip, allow, now, s).symbol == "IP_REPUTATION_ALLOW");
  CHECK(assess(ip, allow, now, s).score == s.allowScore);
  Record neutral = recordOf(1000, 0);
  neutral.override = Override::Neutral;
  CHECK(assess(ip, neutral, now, s).symbol.empty());
}

namespace {
// The suite every backend must pass.
void storeSuite(Store& store) {
  const Key a = key("ip:192.0.2.1"), b = key("dkim:example.com"), c = key("url:x.example");
  auto none = store.get({a, b});
  REQUIRE(none.size() == 2);
  CHECK_FALSE(none[0]);
  store.update({a, b}, Delta::of(Outcome::Spam), 1000, 86400);
  store.update({a}, Delta::of(Outcome::Ham), 1000, 86400);
  auto got = store.get({a, b, c});
  REQUIRE(got[0]);
  REQUIRE(got[1]);
  CHECK_FALSE(got[2]);
  CHECK(got[0]->counters.spam == 1);
  CHECK(got[0]->counters.ham == 1);
  CHECK(got[0]->counters.total == 2);
  // Updates decay what was there first.
  store.update({b}, Delta::of(Outcome::Spam), 1000 + 86400, 86400);
  CHECK(store.get({b})[0]->counters.spam == Approx(1.5));
  store.setOverride(b, Override::Allow, 5000);
  auto o = store.get({b})[0];
  CHECK(o->override == Override::Allow);
  CHECK(o->counters.spam == Approx(1.5));  // an override keeps what was learned
  CHECK(store.stats().keys == 2);

  // Atomic per key: concurrent writers lose no counts.
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t)
    writers.emplace_back([&] {
      for (int i = 0; i < 250; ++i) store.update({c}, Delta::of(Outcome::Ham), 2000, 86400);
    });
  for (auto& w : writers) w.join();
  CHECK(store.get({c})[0]->counters.ham == 1000);

  // Firewall state: sliding-window rates (60 s windows starting at 600 s).
  auto r = store.countEvents({"ip:192.0.2.1", "net:192.0.2.0/24"}, 60, 600'000);
  REQUIRE(r.size() == 2);
  CHECK(r[0] == Approx(1));
  store.countEvents({"ip:192.0.2.1"}, 60, 610'000);
  CHECK(store.countEvents({"ip:192.0.2.1"}, 60, 620'000)[0] == Approx(3));
  CHECK(store.countEvents({"net:192.0.2.0/24"}, 60, 620'000)[0] == Approx(2));
  // Half-way through the next window, half of the previous one still counts.
  CHECK(store.countEvents({"ip:192.0.2.1"}, 60, 690'000)[0] == Approx(1 + 3 * 0.5));
  // Two windows later nothing is left.
  CHECK(store.countEvents({"ip:192.0.2.1"}, 60, 900'000)[0] == Approx(1));
  // Concurrent counters lose nothing either.
  writers.clear();
  for (int t = 0; t < 4; ++t)
    writers.emplace_back([&] {
      for (int i = 0; i < 100; ++i) store.countEvents({"ip:198.51.100.7"}, 60, 1'200'000);
    });
  for (auto& w : writers) w.join();
  CHECK(store.countEvents({"ip:198.51.100.7"}, 60, 1'200'000)[0] == Approx(401));

  // Values with a time to live.
  CHECK_FALSE(store.getValue("fw:192.0.2.1", 1000));
  store.putValue("fw:192.0.2.1", "fail FW_DNSBL", 60, 1000);
  CHECK(store.getValue("fw:192.0.2.1", 1000) == std::optional<std::string>("fail FW_DNSBL"));
  store.putValue("fw:192.0.2.1", "pass", 60, 1000);
  CHECK(store.getValue("fw:192.0.2.1", 1000) == std::optional<std::string>("pass"));
  // A conditional write keeps a live value that begins with the prefix, and replaces others.
  CHECK(store.putValueUnless("fw:192.0.2.2", "fail FW_PREGREET", 60, 1000, "fail "));
  CHECK_FALSE(store.putValueUnless("fw:192.0.2.2", "pass", 60, 1000, "fail "));
  CHECK(store.getValue("fw:192.0.2.2", 1000) == std::optional<std::string>("fail FW_PREGREET"));
  CHECK(store.putValueUnless("fw:192.0.2.1", "fail FW_DNSBL", 60, 1000, "fail "));
  CHECK(store.getValue("fw:192.0.2.1", 1000) == std::optional<std::string>("fail FW_DNSBL"));
  CHECK(store.putValueUnless("fw:192.0.2.3", "pass", 60, 1000, "fail "));
  CHECK(store.getValue("fw:192.0.2.3", 1000) == std::optional<std::string>("pass"));
}

}  // namespace

TEST_CASE("reputation store suite: memory") {
  MemoryStore store;
  storeSuite(store);
}

TEST_CASE("reputation store suite: redis, against a real redis-server") {
  RedisServer server;
  std::string error;
  auto store = openStore(server.url("/3?timeout_ms=500"), &error);
  INFO(error);
  REQUIRE(store);
  CHECK(store->shared());
  CHECK(store->describe() == "redis://127.0.0.1:" + std::to_string(server.port()) + "/3");
  storeSuite(*store);
  // Two clients (two gateway nodes) see and add to the same counts.
  auto other = openStore(server.url("/3"), &error);
  other->update({key("ip:192.0.2.1")}, Delta::of(Outcome::Spam), 1000, 86400);
  CHECK(store->get({key("ip:192.0.2.1")})[0]->counters.spam == Approx(2));
  CHECK(other->countEvents({"ip:192.0.2.1"}, 60, 620'000)[0] == Approx(4));
}

TEST_CASE("redis store: a slow or dead Redis fails within the timeout, then reconnects") {
  RedisServer server;
  std::string error;
  auto store = openStore(server.url("?timeout_ms=150"), &error);
  REQUIRE(store);
  const Key k = key("ip:192.0.2.9");
  store->update({k}, Delta::of(Outcome::Ham), 1000, 86400);
  using SteadyClock = std::chrono::steady_clock;
  auto elapsedMs = [](SteadyClock::time_point since) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - since)
        .count();
  };

  // Slow: a stopped server accepts nothing and answers nothing.
  server.pause();
  auto t0 = SteadyClock::now();
  CHECK_THROWS_AS(store->get({k}), StoreError);
  CHECK(elapsedMs(t0) < 1500);  // bounded by the timeout (150 ms), not by the server
  // The next calls fail at once instead of each waiting out the timeout.
  t0 = SteadyClock::now();
  CHECK_THROWS_WITH(store->get({k}), Catch::Contains("retrying"));
  CHECK(elapsedMs(t0) < 100);
  server.resume();

  // Gone: killed, then started again on the same port; the store reconnects by itself.
  server.stop();
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  CHECK_THROWS_AS(store->get({k}), StoreError);
  server.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  CHECK_FALSE(store->get({k})[0]);  // a new, empty server: no persistence in the test
  store->update({k}, Delta::of(Outcome::Spam), 1000, 86400);
  CHECK(store->get({k})[0]->counters.spam == 1);

  // An admin's SCRIPT FLUSH under live connections: the scripts are sent as text instead.
  {
    redisContext* admin = redisConnect("127.0.0.1", server.port());
    REQUIRE(admin);
    freeReplyObject(redisCommand(admin, "SCRIPT FLUSH"));
    redisFree(admin);
  }
  store->update({k}, Delta::of(Outcome::Spam), 1000, 86400);
  CHECK(store->get({k})[0]->counters.spam == 2);
  CHECK(store->countEvents({"x"}, 60, 1000)[0] == 1);

  // A server restart under a pooled connection costs no call: it is retried on a fresh one.
  server.stop();
  server.start();
  CHECK_FALSE(store->get({k})[0]);

  // Malformed URLs are named.
  for (const char* bad : {"redis://", "redis://h:0", "redis://h:99999", "redis://h:1/x",
                          "redis://h:1?timeout_ms=0", "redis://h:1?foo=1", "redis://user@h:1"}) {
    INFO(bad);
    CHECK_FALSE(validStoreUrl(bad, &error));
    CHECK(error.find(bad) != std::string::npos);
  }
  CHECK(validStoreUrl("redis://:secret@[::1]:6380/2?timeout_ms=50", &error));
  auto a = parseRedisUrl("redis://app:secret@[::1]:6380/2?timeout_ms=50", &error);
  REQUIRE(a);
  CHECK(a->host == "::1");
  CHECK(a->port == 6380);
  CHECK(a->db == 2);
  CHECK(a->user == "app");
  CHECK(a->password == "secret");
  CHECK(a->timeoutMs == 50);
}

TEST_CASE("reputation store suite: lmdb, and what it keeps across reopening") {
  const std::string dir = tempDir("suite");
  std::string error;
  {
    auto store = openStore("lmdb:" + dir, &error);
    INFO(error);
    REQUIRE(store);
    storeSuite(*store);
  }
  {
    // Another process on the same directory (the gateway and `portcullis learn`): writers are
    // serialised by LMDB's lock, no count is lost. (LMDB forbids a second handle in one
    // process, hence fork.)
    pid_t child = fork();
    if (child == 0) {
      auto mine = openStore("lmdb:" + dir, &error);
      for (int i = 0; mine && i < 500; ++i)
        mine->update({key("url:x.example")}, Delta::of(Outcome::Spam), 2000, 86400);
      _exit(mine ? 0 : 1);
    }
    auto store = openStore("lmdb:" + dir, &error);
    REQUIRE(store);
    for (int i = 0; i < 500; ++i)
      store->update({key("url:x.example")}, Delta::of(Outcome::Spam), 2000, 86400);
    int status = 0;
    waitpid(child, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(store->get({key("url:x.example")})[0]->counters.spam == Approx(1000));
  }
  auto again = openStore("lmdb:" + dir, &error);
  REQUIRE(again);
  auto r = again->get({key("url:x.example"), key("dkim:example.com")});
  REQUIRE(r[0]);
  CHECK(r[0]->counters.ham == 1000);
  CHECK(r[1]->override == Override::Allow);
  CHECK(again->stats().bytes > 0);
  std::filesystem::remove_all(dir);

  CHECK_FALSE(openStore("lmdb:", &error));
  CHECK(error.find("needs a directory") != std::string::npos);
  CHECK_FALSE(openStore("sqlite:/x", &error));
  CHECK_FALSE(openStore("lmdb:/proc/no-such/dir", &error));
  CHECK(error.find("/proc/no-such") != std::string::npos);
}
