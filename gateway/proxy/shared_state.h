// What every proxy session on every worker shares: TLS contexts, the maildir pool, the
// shutdown flag, and the firewall's memory (connection counters, the client cache, the
// greylist), which outlives config reloads. Owned by the Server; outlives every session.
#pragma once
#include <atomic>
#include <memory>

#include "gateway/firewall/client_cache.h"
#include "gateway/firewall/connection_limiter.h"
#include "gateway/firewall/greylist.h"
#include "gateway/net/asio.h"

namespace portcullis::proxy {

struct SharedState {
  std::shared_ptr<asio::ssl::context> serverTls;  // null: STARTTLS not offered
  std::shared_ptr<asio::ssl::context> clientTls;  // downstream STARTTLS
  asio::thread_pool filePool{2};                  // blocking file I/O (maildir)
  asio::thread_pool storePool{
      4};  // the firewall's calls to a shared store (bounded by its timeout)
  std::atomic<bool> stopping{false};
  std::atomic<int> activeSessions{0};
  firewall::ConnectionLimiter limiter;
  firewall::ClientCache clientCache;
  firewall::Greylist greylist;
};

}  // namespace portcullis::proxy
