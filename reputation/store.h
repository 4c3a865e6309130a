// Where state lives. One interface, several backends chosen by one config key (`store`):
// `memory:` (tests, one process), `lmdb:/dir` (the embedded default: no server, crash-safe),
// and `redis://host:port` for several gateway nodes sharing what they learn and count.
//
// Two kinds of state: reputation records (decaying counters per key), and the firewall's
// short-lived state (connection rates, greylisting triplets, remembered clients) as named
// counters and values with a time to live.
//
// Every backend gives the same guarantees: update() and countEvents() are atomic per key
// (read, decay, add, write as one step, so two nodes or threads never lose each other's
// counts), and a reader never sees a half-written record. Calls may block briefly (disk,
// network) and throw StoreError when the store fails or does not answer in time: callers run
// them off the event loops and treat a failure as "nothing known".
#pragma once
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "reputation/counters.h"
#include "reputation/key.h"

namespace portcullis::reputation {

struct StoreError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Sliding-window rate from two fixed windows, as the firewall's in-process limiter counts:
// this window's count plus the previous window's, weighted by how much of it still lies within
// the last `window` seconds.
struct RateWindow {
  int64_t index = 0;  // which window `nowMs` falls in
  double previousWeight = 0;
  static RateWindow at(int64_t nowMs, int windowSeconds) {
    const int64_t len = int64_t(windowSeconds > 0 ? windowSeconds : 1) * 1000;
    return {nowMs / len, 1.0 - double(nowMs % len) / double(len)};
  }
};

struct StoreStats {
  uint64_t keys = 0;
  uint64_t bytes = 0;  // on disk or in memory, as the backend can tell
};

class Store {
 public:
  virtual ~Store() = default;
  virtual std::vector<std::optional<Record>> get(const std::vector<Key>& keys) = 0;
  // Adds `delta` to every key (decayed to `now` first), atomically per key.
  virtual void update(const std::vector<Key>& keys, const Delta& delta, int64_t now,
                      double halfLifeSeconds) = 0;
  virtual void setOverride(const Key& key, Override o, int64_t now) = 0;
  virtual StoreStats stats() = 0;

  // Counts one event under each name (a connection from an address, from its subnet) and
  // returns each name's rate over the last `windowSeconds`, this event included.
  virtual std::vector<double> countEvents(const std::vector<std::string>& names, int windowSeconds,
                                          int64_t nowMs) = 0;
  // A short value under `name`, gone after `ttlSeconds`.
  virtual std::optional<std::string> getValue(const std::string& name, int64_t now) = 0;
  void putValue(const std::string& name, const std::string& value, int ttlSeconds, int64_t now) {
    putValueUnless(name, value, ttlSeconds, now, {});
  }
  // putValue, atomically skipped while the live value begins with a non-empty `keepPrefix`: a
  // firewall pass must not overwrite a failure that another session (on any node) recorded
  // meanwhile. True when written.
  virtual bool putValueUnless(const std::string& name, const std::string& value, int ttlSeconds,
                              int64_t now, std::string_view keepPrefix) = 0;
  // True when other gateway processes see this store's state (Redis). The firewall then keeps
  // its counters and caches here; otherwise its in-process tables are faster and as good.
  virtual bool shared() const { return false; }
  virtual std::string describe() const = 0;
};

// "memory:", "lmdb:/var/lib/portcullis/reputation" (a relative directory is relative to the
// working directory), "redis://[:password@]host:port[/db][?timeout_ms=N]"; null with `error` set
// when the URL is malformed or the store cannot be opened.
std::unique_ptr<Store> openStore(const std::string& url, std::string* error);
bool validStoreUrl(const std::string& url, std::string* why);

// The one open store for `url` in this process, opened on first use and shared while anyone
// holds it. LMDB forbids opening one environment twice in a process, and a config reload
// must not lose a memory: store's contents.
std::shared_ptr<Store> sharedStore(const std::string& url, std::string* error);

}  // namespace portcullis::reputation
