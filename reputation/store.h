// Where reputation lives. One interface, several backends chosen by one config key
// (`store`): `memory:` (tests, one process), `lmdb:/dir` (the embedded default: no server,
// crash-safe), and `redis://host:port` for several gateway nodes.
//
// Every backend gives the same guarantees: update() is atomic per key (read, decay, add, write
// as one step, so two nodes or threads never lose each other's counts), and a reader never
// sees a half-written record. Calls may block briefly (disk, network): callers run them off
// the event loops.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "reputation/counters.h"
#include "reputation/key.h"

namespace portcullis::reputation {

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
  virtual std::string describe() const = 0;
};

// "memory:", "lmdb:/var/lib/portcullis/reputation" (a relative directory is relative to the
// working directory); null with `error` set when the URL is malformed or the store cannot be
// opened.
std::unique_ptr<Store> openStore(const std::string& url, std::string* error);
bool validStoreUrl(const std::string& url, std::string* why);

// The one open store for `url` in this process, opened on first use and shared while anyone
// holds it. LMDB forbids opening one environment twice in a process, and a config reload
// must not lose a memory: store's contents.
std::shared_ptr<Store> sharedStore(const std::string& url, std::string* error);

}  // namespace portcullis::reputation
