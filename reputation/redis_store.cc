#include "reputation/redis_store.h"

#include <hiredis/hiredis.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace portcullis::reputation {

namespace {

constexpr const char* kRecordPrefix = "portcullis:rep:";
constexpr const char* kStatePrefix = "portcullis:state:";
constexpr const char* kRatePrefix = "portcullis:rate:";

// Decay to `now`, add the delta, write back; the same arithmetic as apply() in counters.cc.
// KEYS[1] the record; ARGV: ham spam rejected total now half-life ttl.
constexpr const char* kUpdateScript = R"lua(
local v = redis.call('HMGET', KEYS[1], 'ham', 'spam', 'rejected', 'total', 'updated', 'override')
local c = {tonumber(v[1]) or 0, tonumber(v[2]) or 0, tonumber(v[3]) or 0, tonumber(v[4]) or 0}
local updated = tonumber(v[5]) or 0
local now, halflife, ttl = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
if updated ~= 0 and now > updated and halflife > 0 then
  local f = 2 ^ (-(now - updated) / halflife)
  for i = 1, 4 do c[i] = c[i] * f end
end
if now > updated then updated = now end
for i = 1, 4 do c[i] = c[i] + tonumber(ARGV[i]) end
redis.call('HSET', KEYS[1], 'ham', string.format('%.17g', c[1]), 'spam', string.format('%.17g', c[2]),
  'rejected', string.format('%.17g', c[3]), 'total', string.format('%.17g', c[4]),
  'updated', string.format('%d', updated))
if ttl > 0 and (tonumber(v[6]) or 0) == 0 then redis.call('EXPIRE', KEYS[1], ttl) end
return 1
)lua";

// One event in this window; the rate as RateWindow defines it. KEYS: this window's counter,
// the previous window's; ARGV: the counter's lifetime (ms), the previous window's weight.
constexpr const char* kCountScript = R"lua(
local c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local p = tonumber(redis.call('GET', KEYS[2]) or '0') or 0
return string.format('%.17g', c + p * tonumber(ARGV[2]))
)lua";

// SET with an expiry unless the live value begins with a prefix (an empty one keeps nothing).
// KEYS[1] the value; ARGV: the value, its lifetime (s), the prefix that keeps the old value.
constexpr const char* kPutUnlessScript = R"lua(
local old = redis.call('GET', KEYS[1])
if old and #ARGV[3] > 0 and string.sub(old, 1, #ARGV[3]) == ARGV[3] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1
)lua";

std::string str(const redisReply* r) {
  return r && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS)
             ? std::string(r->str, r->len)
             : std::string();
}

double number(const redisReply* r) {
  const std::string s = str(r);
  double d = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  return ec == std::errc() && std::isfinite(d) ? d : 0;
}

int64_t integer(const redisReply* r) {
  if (r && r->type == REDIS_REPLY_INTEGER) return r->integer;
  return static_cast<int64_t>(number(r));
}

std::string fmt(double d) {
  char b[40];
  std::snprintf(b, sizeof b, "%.17g", d);
  return b;
}

// A connection-level failure (the context is unusable afterwards) rather than an error reply.
struct ConnectionLost : StoreError {
  explicit ConnectionLost(const std::string& what, bool timedOut = false)
      : StoreError(what), timedOut(timedOut) {}
  bool timedOut;  // no answer in time, rather than a broken connection
};

}  // namespace

std::optional<RedisAddress> parseRedisUrl(const std::string& url, std::string* why) {
  auto bad = [&](const std::string& what) -> std::optional<RedisAddress> {
    *why = "'" + url + "': " + what + " (redis://[user:password@]host:port[/db][?timeout_ms=N])";
    return std::nullopt;
  };
  if (!url.starts_with("redis://")) return bad("not a redis:// URL");
  RedisAddress a;
  std::string rest = url.substr(8);
  if (auto q = rest.find('?'); q != std::string::npos) {
    std::string query = rest.substr(q + 1);
    rest.resize(q);
    if (!query.starts_with("timeout_ms=")) return bad("the only option is timeout_ms");
    const std::string v = query.substr(11);
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), a.timeoutMs);
    if (ec != std::errc() || p != v.data() + v.size() || a.timeoutMs < 1 || a.timeoutMs > 60000)
      return bad("timeout_ms must be 1 to 60000");
  }
  if (auto at = rest.rfind('@'); at != std::string::npos) {
    std::string cred = rest.substr(0, at);
    rest = rest.substr(at + 1);
    auto colon = cred.find(':');
    if (colon == std::string::npos) return bad("credentials are user:password or :password");
    a.user = cred.substr(0, colon);
    a.password = cred.substr(colon + 1);
  }
  if (auto slash = rest.find('/'); slash != std::string::npos) {
    const std::string db = rest.substr(slash + 1);
    rest.resize(slash);
    if (!db.empty()) {
      auto [p, ec] = std::from_chars(db.data(), db.data() + db.size(), a.db);
      if (ec != std::errc() || p != db.data() + db.size() || a.db < 0)
        return bad("the database is a number");
    }
  }
  std::string port;
  if (rest.starts_with("[")) {
    auto close = rest.find(']');
    if (close == std::string::npos) return bad("unclosed [ in the host");
    a.host = rest.substr(1, close - 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') return bad("a port follows the host after ':'");
      port = rest.substr(close + 2);
    }
  } else if (auto colon = rest.find(':'); colon != std::string::npos) {
    a.host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  } else {
    a.host = rest;
  }
  if (a.host.empty()) return bad("no host");
  if (!port.empty()) {
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), a.port);
    if (ec != std::errc() || p != port.data() + port.size() || a.port < 1 || a.port > 65535)
      return bad("the port must be 1 to 65535");
  }
  return a;
}

void RedisStore::ContextDeleter::operator()(redisContext* c) const {
  redisFree(c);
}
void RedisStore::ReplyDeleter::operator()(redisReply* r) const {
  freeReplyObject(r);
}

// Commands appended to one connection, sent together, their replies read in order.
class RedisStore::Pipeline {
 public:
  Pipeline(redisContext* c, const RedisAddress& a) : c_(c), address_(a) {}

  void append(const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (const auto& s : args) {
      argv.push_back(s.data());
      lens.push_back(s.size());
    }
    if (redisAppendCommandArgv(c_, static_cast<int>(argv.size()), argv.data(), lens.data()) !=
        REDIS_OK)
      fail();
    ++pending_;
  }

  // The next reply; StoreError for an error reply (after the remaining replies are drained,
  // so the connection stays usable), ConnectionLost when the connection broke or timed out.
  Reply next() {
    void* raw = nullptr;
    if (redisGetReply(c_, &raw) != REDIS_OK || raw == nullptr) fail();
    --pending_;
    Reply r(static_cast<redisReply*>(raw));
    if (r->type == REDIS_REPLY_ERROR) {
      std::string text(r->str, r->len);
      drain();
      throw StoreError("redis://" + address_.host + ":" + std::to_string(address_.port) + ": " +
                       text);
    }
    return r;
  }

  Reply run(const std::vector<std::string>& args) {
    append(args);
    return next();
  }

 private:
  [[noreturn]] void fail() {
    const bool timedOut = c_->err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK);
    std::string what = timedOut ? "no answer within " + std::to_string(address_.timeoutMs) + " ms"
                                : std::string(c_->errstr[0] ? c_->errstr : "connection lost");
    if (c_->err == 0) c_->err = REDIS_ERR_IO;  // never reuse a context in an unknown state
    throw ConnectionLost(
        "redis://" + address_.host + ":" + std::to_string(address_.port) + ": " + what, timedOut);
  }
  void drain() {
    while (pending_ > 0) {
      void* raw = nullptr;
      if (redisGetReply(c_, &raw) != REDIS_OK) fail();
      freeReplyObject(raw);
      --pending_;
    }
  }

  redisContext* c_;
  const RedisAddress& address_;
  int pending_ = 0;
};

RedisStore::RedisStore(RedisAddress address) : address_(std::move(address)) {}
RedisStore::~RedisStore() = default;

std::string RedisStore::describe() const {
  std::string host =
      address_.host.find(':') != std::string::npos ? "[" + address_.host + "]" : address_.host;
  return "redis://" + host + ":" + std::to_string(address_.port) + "/" +
         std::to_string(address_.db);
}

RedisStore::Context RedisStore::connect() {
  const timeval tv{address_.timeoutMs / 1000, (address_.timeoutMs % 1000) * 1000};
  Context c(redisConnectWithTimeout(address_.host.c_str(), address_.port, tv));
  auto where = describe();
  if (!c) throw ConnectionLost(where + ": cannot allocate a connection");
  if (c->err) throw ConnectionLost(where + ": " + c->errstr);
  redisSetTimeout(c.get(), tv);
  Pipeline p(c.get(), address_);
  if (!address_.password.empty()) {
    if (address_.user.empty())
      p.run({"AUTH", address_.password});
    else
      p.run({"AUTH", address_.user, address_.password});
  }
  if (address_.db != 0) p.run({"SELECT", std::to_string(address_.db)});
  // The scripts by digest from now on (EVALSHA): no script text on every call. Loading is
  // idempotent, and a server restarted in between gets them again with the new connection.
  const std::string update = str(p.run({"SCRIPT", "LOAD", kUpdateScript}).get());
  const std::string count = str(p.run({"SCRIPT", "LOAD", kCountScript}).get());
  const std::string putUnless = str(p.run({"SCRIPT", "LOAD", kPutUnlessScript}).get());
  std::lock_guard lock(mutex_);
  updateSha_ = update;
  countSha_ = count;
  putUnlessSha_ = putUnless;
  return c;
}

template <typename F>
auto RedisStore::withConnection(F&& work) -> decltype(work(std::declval<Pipeline&>())) {
  for (int attempt = 0;; ++attempt) {
    Context c;
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        c = std::move(idle_.back());
        idle_.pop_back();
      } else if (std::chrono::steady_clock::now() < downUntil_) {
        throw StoreError(downReason_ + " (retrying within a second)");
      }
    }
    const bool pooled = c != nullptr;
    try {
      if (!c) c = connect();
      // Back to the pool on the way out, whatever `work` did, unless the connection broke
      // (ConnectionLost always leaves the context's error set).
      struct Release {
        RedisStore& store;
        Context& c;
        ~Release() {
          std::lock_guard lock(store.mutex_);
          if (c && c->err == 0 && store.idle_.size() < 64) store.idle_.push_back(std::move(c));
        }
      } release{*this, c};
      Pipeline p(c.get(), address_);
      return work(p);
    } catch (const ConnectionLost& e) {
      // A pooled connection may have died while idle (Redis restarted): one retry on a fresh
      // connection. A fresh one failing means Redis is down or slow: fail fast for a while.
      if (pooled && !e.timedOut && attempt == 0) {
        std::lock_guard lock(mutex_);
        idle_.clear();  // its siblings are as dead
        continue;
      }
      std::lock_guard lock(mutex_);
      downUntil_ = std::chrono::steady_clock::now() + std::chrono::seconds(1);
      downReason_ = e.what();
      throw StoreError(e.what());
    }
  }
}

template <typename Args>
std::vector<RedisStore::Reply> RedisStore::runScript(Pipeline& p, const char* script,
                                                     const std::string& sha, size_t calls,
                                                     Args&& args) {
  std::string digest;
  {
    std::lock_guard lock(mutex_);
    digest = sha;
  }
  auto send = [&](bool byDigest) {
    for (size_t i = 0; i < calls; ++i) {
      std::vector<std::string> argv = {byDigest ? "EVALSHA" : "EVAL", byDigest ? digest : script};
      for (auto& a : args(i)) argv.push_back(std::move(a));
      p.append(argv);
    }
    std::vector<Reply> out;
    for (size_t i = 0; i < calls; ++i) out.push_back(p.next());
    return out;
  };
  if (digest.empty()) return send(false);
  try {
    return send(true);
  } catch (const ConnectionLost&) {
    throw;
  } catch (const StoreError& e) {
    // The server's script cache was flushed (SCRIPT FLUSH) under a live connection: send the
    // text; the next connection loads the scripts again.
    if (std::string_view(e.what()).find("NOSCRIPT") == std::string_view::npos) throw;
    return send(false);
  }
}

void RedisStore::ping() {
  withConnection([](Pipeline& p) {
    if (str(p.run({"PING"}).get()) != "PONG") throw StoreError("redis: PING did not answer PONG");
  });
}

std::vector<std::optional<Record>> RedisStore::get(const std::vector<Key>& keys) {
  return withConnection([&](Pipeline& p) {
    for (const auto& k : keys)
      p.append({"HMGET", kRecordPrefix + k.str(), "ham", "spam", "rejected", "total", "updated",
                "override", "override_set"});
    std::vector<std::optional<Record>> out;
    for (size_t i = 0; i < keys.size(); ++i) {
      Reply r = p.next();
      if (r->type != REDIS_REPLY_ARRAY || r->elements != 7) throw StoreError("redis: odd HMGET");
      bool any = false;
      for (size_t f = 0; f < 7; ++f) any = any || r->element[f]->type != REDIS_REPLY_NIL;
      if (!any) {
        out.push_back(std::nullopt);
        continue;
      }
      Record rec;
      rec.counters.ham = number(r->element[0]);
      rec.counters.spam = number(r->element[1]);
      rec.counters.rejected = number(r->element[2]);
      rec.counters.total = number(r->element[3]);
      rec.counters.updated = integer(r->element[4]);
      const int64_t o = integer(r->element[5]);
      rec.override = o >= 0 && o <= 3 ? static_cast<Override>(o) : Override::None;
      rec.overrideSet = integer(r->element[6]);
      out.push_back(rec);
    }
    return out;
  });
}

void RedisStore::update(const std::vector<Key>& keys, const Delta& delta, int64_t now,
                        double halfLifeSeconds) {
  const std::string ttl = std::to_string(
      halfLifeSeconds > 0 ? static_cast<int64_t>(std::ceil(16 * halfLifeSeconds)) : 0);
  withConnection([&](Pipeline& p) {
    runScript(p, kUpdateScript, updateSha_, keys.size(), [&](size_t i) {
      return std::vector<std::string>{"1",
                                      kRecordPrefix + keys[i].str(),
                                      fmt(delta.ham),
                                      fmt(delta.spam),
                                      fmt(delta.rejected),
                                      fmt(delta.total),
                                      std::to_string(now),
                                      fmt(halfLifeSeconds),
                                      ttl};
    });
  });
}

void RedisStore::setOverride(const Key& key, Override o, int64_t now) {
  withConnection([&](Pipeline& p) {
    const std::string name = kRecordPrefix + key.str();
    p.append({"HSET", name, "override", std::to_string(static_cast<int>(o)), "override_set",
              std::to_string(now)});
    p.append({"PERSIST", name});
    p.next();
    p.next();
  });
}

StoreStats RedisStore::stats() {
  return withConnection([&](Pipeline& p) {
    StoreStats s;
    std::string cursor = "0";
    do {
      Reply r = p.run({"SCAN", cursor, "MATCH", std::string(kRecordPrefix) + "*", "COUNT", "1000"});
      if (r->type != REDIS_REPLY_ARRAY || r->elements != 2) throw StoreError("redis: odd SCAN");
      cursor = str(r->element[0]);
      s.keys += r->element[1]->elements;
    } while (cursor != "0" && !cursor.empty());
    // The server's memory, all of it: Redis cannot tell ours apart cheaply.
    const std::string info = str(p.run({"INFO", "memory"}).get());
    if (auto at = info.find("used_memory:"); at != std::string::npos)
      s.bytes = std::strtoull(info.c_str() + at + 12, nullptr, 10);
    return s;
  });
}

std::vector<double> RedisStore::countEvents(const std::vector<std::string>& names,
                                            int windowSeconds, int64_t nowMs) {
  const auto w = RateWindow::at(nowMs, windowSeconds);
  const int64_t windowMs = int64_t(windowSeconds > 0 ? windowSeconds : 1) * 1000;
  return withConnection([&](Pipeline& p) {
    auto replies = runScript(p, kCountScript, countSha_, names.size(), [&](size_t i) {
      // The hash tag keeps a name's windows in one cluster slot.
      const std::string base =
          kRatePrefix + std::string("{") + names[i] + "}:" + std::to_string(windowSeconds) + ":";
      return std::vector<std::string>{"2", base + std::to_string(w.index),
                                      base + std::to_string(w.index - 1),
                                      std::to_string(2 * windowMs), fmt(w.previousWeight)};
    });
    std::vector<double> out;
    for (const auto& r : replies) out.push_back(number(r.get()));
    return out;
  });
}

std::optional<std::string> RedisStore::getValue(const std::string& name, int64_t) {
  return withConnection([&](Pipeline& p) -> std::optional<std::string> {
    Reply r = p.run({"GET", kStatePrefix + name});
    if (r->type == REDIS_REPLY_NIL) return std::nullopt;
    return str(r.get());
  });
}

bool RedisStore::putValueUnless(const std::string& name, const std::string& value, int ttlSeconds,
                                int64_t, std::string_view keepPrefix) {
  return withConnection([&](Pipeline& p) {
    auto replies = runScript(p, kPutUnlessScript, putUnlessSha_, 1, [&](size_t) {
      return std::vector<std::string>{"1", kStatePrefix + name, value,
                                      std::to_string(std::max(1, ttlSeconds)),
                                      std::string(keepPrefix)};
    });
    return replies.at(0)->type == REDIS_REPLY_INTEGER && replies[0]->integer == 1;
  });
}

}  // namespace portcullis::reputation
