// `redis://[user:password@]host:port[/db][?timeout_ms=N]`: one Redis shared by several gateway
// nodes, so what one node learns and counts (reputation, connection rates, greylisting, the
// firewall's remembered clients) every node sees.
//
// Atomic: every read-decay-add of a record and every rate count is one Lua script on the
// server, one key per script call (so the calls also work against a Redis Cluster's slots),
// pipelined so a message's keys cost one round trip.
//
// Bounded: connecting and every reply wait at most `timeout_ms` (default 200). A store that
// is slow or gone throws StoreError within that time and the callers go neutral. After a
// failed connect the store fails fast for a second instead of making every call wait out
// the timeout, then tries again; a pooled connection that broke (Redis restarted) is retried
// once on a fresh one, so a restart costs no lookups.
//
// Records expire after 16 half-lives without an update (their counts have decayed below
// 1/65536 by then) unless an admin set an override on them.
#pragma once
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "reputation/store.h"

struct redisContext;
struct redisReply;

namespace portcullis::reputation {

struct RedisAddress {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string user, password;
  int db = 0;
  int timeoutMs = 200;
};
// Parses a redis:// URL; nullopt with `why` set when it is malformed.
std::optional<RedisAddress> parseRedisUrl(const std::string& url, std::string* why);

class RedisStore final : public Store {
 public:
  // Does not connect: the first call does, so a gateway starts while Redis is still down.
  explicit RedisStore(RedisAddress address);
  ~RedisStore() override;

  std::vector<std::optional<Record>> get(const std::vector<Key>& keys) override;
  void update(const std::vector<Key>& keys, const Delta& delta, int64_t now,
              double halfLifeSeconds) override;
  void setOverride(const Key& key, Override o, int64_t now) override;
  StoreStats stats() override;
  std::string describe() const override;
  std::vector<double> countEvents(const std::vector<std::string>& names, int windowSeconds,
                                  int64_t nowMs) override;
  std::optional<std::string> getValue(const std::string& name, int64_t now) override;
  bool putValueUnless(const std::string& name, const std::string& value, int ttlSeconds,
                      int64_t now, std::string_view keepPrefix) override;
  bool shared() const override { return true; }

  // Connects now; StoreError when Redis cannot be reached (for `check-config` and tests).
  void ping();

 private:
  struct ContextDeleter {
    void operator()(redisContext* c) const;
  };
  using Context = std::unique_ptr<redisContext, ContextDeleter>;
  class Pipeline;

  Context connect();
  struct ReplyDeleter {
    void operator()(redisReply* r) const;
  };
  using Reply = std::unique_ptr<redisReply, ReplyDeleter>;
  // `calls` calls of `script` in one pipeline, by digest once loaded; `args(i)` gives call
  // i's arguments after the script (numkeys, keys, arguments).
  template <typename Args>
  std::vector<Reply> runScript(Pipeline& p, const char* script, const std::string& sha,
                               size_t calls, Args&& args);
  // Runs `work` on a pooled connection, or a new one; retries once on a fresh connection when
  // a pooled one turns out broken.
  template <typename F>
  auto withConnection(F&& work) -> decltype(work(std::declval<Pipeline&>()));

  RedisAddress address_;
  std::mutex mutex_;
  std::vector<Context> idle_;
  std::chrono::steady_clock::time_point downUntil_{};
  std::string downReason_;
  std::string updateSha_, countSha_, putUnlessSha_;  // the scripts' digests, once loaded
};

}  // namespace portcullis::reputation
