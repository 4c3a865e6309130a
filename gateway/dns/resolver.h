// The gateway's one asynchronous DNS resolver.
//
// Built on c-ares rather than libunbound: the gateway forwards to configured recursive servers
// (dns.servers, or resolv.conf) and wants raw responses it reads itself (TTLs, SOA minimum,
// NXDOMAIN vs NODATA vs SERVFAIL), with sockets it can watch from its own event loop. c-ares
// is exactly a stub resolver with socket-state callbacks; libunbound is a full validating
// recursive resolver with its own threads and event base (and needs `.test` unblocked), far
// more than a stub needs.
//
// One resolver thread runs an Asio event loop that owns the c-ares channel and the cache;
// nothing else touches them. lookup() may be called from any thread; its callback runs on the
// resolver thread, and callers post the result back to their own loop. Session event loops
// therefore never do DNS work. lookupBlocking() is for libraries that only offer synchronous
// callbacks (libspf2): it runs on their worker pool and refuses to run on an event-loop thread.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gateway/dns/message.h"

namespace portcullis::dns {

struct Answer {
  Status status = Status::ServFail;
  std::vector<Record> records;      // of the asked type, at the end of any CNAME chain
  std::vector<std::string> cnames;  // the chain walked from the asked name
  std::string detail;               // for logs: why it is not Ok
  bool cached = false;

  std::vector<std::string> texts() const;  // every record's data
};

struct ResolverSettings {
  // "address:port" or "[v6]:port"; empty: the system's (resolv.conf).
  std::vector<std::string> servers;
  std::chrono::milliseconds timeout{2000};  // first try; c-ares doubles it per round
  int attempts = 2;                         // rounds over all servers
  size_t cacheEntries = 100000;
  std::chrono::seconds maxTtl{86400};
  std::chrono::seconds maxNegativeTtl{3600};    // RFC 2308 suggests at most hours
  std::chrono::seconds defaultNegativeTtl{60};  // when the server sent no SOA
};

struct ResolverStats {
  uint64_t queries = 0;  // lookups asked for
  uint64_t cacheHits = 0;
  uint64_t sent = 0;  // queries that went to a server
  uint64_t timeouts = 0;
  uint64_t servfails = 0;
};

class Resolver {
 public:
  using Callback = std::function<void(const Answer&)>;

  // Returns null with `error` set when c-ares cannot start or a server address is invalid.
  static std::shared_ptr<Resolver> create(const ResolverSettings& settings, std::string* error);
  virtual ~Resolver() = default;

  // `cb` runs once, on the resolver thread. Identical lookups in flight share one query.
  virtual void lookup(const std::string& name, Type type, Callback cb) = 0;
  // Waits for lookup(). Refused (Status::ServFail, counted) on an event-loop thread.
  virtual Answer lookupBlocking(const std::string& name, Type type) = 0;
  virtual ResolverStats stats() const = 0;
};

// "a.b.c.d" -> "d.c.b.a.in-addr.arpa"; IPv6 -> nibbles under ip6.arpa; empty if not an address.
std::string reverseName(const std::string& address);

// Validates a dns.servers entry ("127.0.0.1:53", "[::1]:5353", "192.0.2.1" = port 53).
bool validServer(const std::string& s, std::string* why);

}  // namespace portcullis::dns
