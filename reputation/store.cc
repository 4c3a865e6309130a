#include "reputation/store.h"

#include <map>
#include <mutex>

#include "reputation/lmdb_store.h"
#include "reputation/memory_store.h"
#include "reputation/redis_store.h"

namespace portcullis::reputation {

namespace {
constexpr size_t kDefaultMapSize = size_t(1) << 30;  // sparse: only written pages use disk
}

bool validStoreUrl(const std::string& url, std::string* why) {
  if (url == "memory:") return true;
  if (url.starts_with("lmdb:")) {
    if (url.size() > 5) return true;
    *why = "'" + url + "': lmdb: needs a directory (lmdb:/var/lib/portcullis/reputation)";
    return false;
  }
  if (url.starts_with("redis://")) return parseRedisUrl(url, why).has_value();
  *why = "'" + url + "': the store is memory:, lmdb:/dir or redis://host:port";
  return false;
}

std::unique_ptr<Store> openStore(const std::string& url, std::string* error) {
  if (!validStoreUrl(url, error)) return nullptr;
  if (url == "memory:") return std::make_unique<MemoryStore>();
  if (url.starts_with("redis://")) return std::make_unique<RedisStore>(*parseRedisUrl(url, error));
  return LmdbStore::open(url.substr(5), kDefaultMapSize, error);
}

std::shared_ptr<Store> sharedStore(const std::string& url, std::string* error) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<Store>> open;
  std::lock_guard lock(mutex);
  if (auto s = open[url].lock()) return s;
  std::shared_ptr<Store> s = openStore(url, error);
  if (s) open[url] = s;
  return s;
}

}  // namespace portcullis::reputation
