// The firewall's memory kept in a shared store (Redis), for several gateway nodes behind one
// MX name: a client's connection rate counts on every node, a client one node caught failing
// is refused by all, and a greylisted sender's retry passes whichever node it reaches.
//
// Only used when the configured store is shared. With one node the in-process tables
// (ConnectionLimiter, ClientCache, Greylist) are faster and know the same. Concurrency limits
// stay per node in either case: an open connection belongs to the node that holds it, and a
// node that dies must not leave counts behind.
//
// Every call blocks on the store (bounded by its timeout) and throws reputation::StoreError:
// callers run them off the event loop and admit the client when the store fails.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/ip_address.h"
#include "gateway/firewall/client_cache.h"
#include "gateway/firewall/connection_limiter.h"
#include "gateway/firewall/greylist.h"
#include "gateway/firewall/settings.h"
#include "reputation/store.h"

namespace portcullis::firewall {

// Counts this connection against the per-address and per-subnet rates; the refusal when one
// is over its limit.
std::optional<ConnectionLimiter::Refusal> countSharedRate(reputation::Store& store,
                                                          const core::IpAddress& ip,
                                                          const LimitSettings& s, int64_t nowMs);

// The remembered pass or failure of `ip` (the entry's `expires` is not meaningful here).
std::optional<ClientCache::Entry> sharedClientGet(reputation::Store& store, const std::string& ip,
                                                  int64_t now);
void sharedClientPass(reputation::Store& store, const std::string& ip, std::chrono::seconds ttl,
                      int64_t now);
void sharedClientFail(reputation::Store& store, const std::string& ip, const std::string& reason,
                      std::chrono::seconds ttl, int64_t now);

}  // namespace portcullis::firewall
