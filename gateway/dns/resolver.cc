#include "gateway/dns/resolver.h"

#include <ares.h>
#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <future>
#include <list>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "gateway/core/log.h"
#include "gateway/core/metrics.h"
#include "gateway/core/thread_role.h"
#include "gateway/net/asio.h"

namespace portcullis::dns {

std::vector<std::string> Answer::texts() const {
  std::vector<std::string> out;
  for (const auto& r : records) out.push_back(r.data);
  return out;
}

std::string reverseName(const std::string& address) {
  unsigned char b[16];
  static const char* hex = "0123456789abcdef";
  if (inet_pton(AF_INET, address.c_str(), b) == 1)
    return std::to_string(b[3]) + "." + std::to_string(b[2]) + "." + std::to_string(b[1]) + "." +
           std::to_string(b[0]) + ".in-addr.arpa";
  if (inet_pton(AF_INET6, address.c_str(), b) == 1) {
    std::string out;
    for (int i = 15; i >= 0; --i) {
      out += hex[b[i] & 0xF];
      out += '.';
      out += hex[b[i] >> 4];
      out += '.';
    }
    return out + "ip6.arpa";
  }
  return "";
}

bool validServer(const std::string& s, std::string* why) {
  std::string host = s;
  std::string port;
  if (!s.empty() && s.front() == '[') {
    auto close = s.find(']');
    if (close == std::string::npos) return *why = "'" + s + "': missing ']'", false;
    host = s.substr(1, close - 1);
    if (close + 1 < s.size()) {
      if (s[close + 1] != ':') return *why = "'" + s + "': expected [address]:port", false;
      port = s.substr(close + 2);
    }
  } else if (std::count(s.begin(), s.end(), ':') == 1) {
    host = s.substr(0, s.find(':'));
    port = s.substr(s.find(':') + 1);
  }
  unsigned char buf[16];
  if (inet_pton(AF_INET, host.c_str(), buf) != 1 && inet_pton(AF_INET6, host.c_str(), buf) != 1)
    return *why = "'" + s + "': not an IP address (a name server is given by address)", false;
  if (!port.empty()) {
    unsigned p = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc() || end != port.data() + port.size() || p == 0 || p > 65535)
      return *why = "'" + s + "': bad port", false;
  }
  return true;
}

namespace {

struct Key {
  std::string name;
  Type type;
  bool operator==(const Key&) const = default;
};
struct KeyHash {
  size_t operator()(const Key& k) const {
    return std::hash<std::string>()(k.name) * 31 + size_t(k.type);
  }
};

class AresResolver final : public Resolver {
 public:
  explicit AresResolver(ResolverSettings s) : settings_(std::move(s)) {}

  ~AresResolver() override {
    // Stop the loop, then tear c-ares down on this thread: the loop no longer runs.
    work_.reset();
    io_.stop();
    if (thread_.joinable()) {
      if (thread_.get_id() == std::this_thread::get_id())
        thread_.detach();
      else
        thread_.join();
    }
    // c-ares owns the sockets: stop watching without closing them, then let it close them.
    for (auto& [fd, w] : watchers_) {
      w->closed = true;
      w->desc.release();
    }
    watchers_.clear();
    if (channel_) ares_destroy(channel_);
  }

  bool start(std::string* error) {
    static std::once_flag once;
    std::call_once(once, [] { ares_library_init(ARES_LIB_INIT_ALL); });
    ares_options opts{};
    int mask = ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS;
    opts.sock_state_cb = &AresResolver::socketState;
    opts.sock_state_cb_data = this;
    opts.timeout = static_cast<int>(settings_.timeout.count());
    opts.tries = settings_.attempts;
    // Names are always absolute: no search list, no host aliases.
    opts.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES;
    if (int rc = ares_init_options(&channel_, &opts, mask); rc != ARES_SUCCESS) {
      *error = std::string("c-ares: ") + ares_strerror(rc);
      return false;
    }
    if (!settings_.servers.empty()) {
      std::string csv;
      for (const auto& s : settings_.servers) {
        std::string why;
        if (!validServer(s, &why)) return *error = "dns.servers: " + why, false;
        csv += (csv.empty() ? "" : ",") + s;
      }
      if (int rc = ares_set_servers_ports_csv(channel_, csv.c_str()); rc != ARES_SUCCESS) {
        *error = "dns.servers: " + std::string(ares_strerror(rc));
        return false;
      }
    }
    thread_ = std::thread([this] { io_.run(); });
    return true;
  }

  void lookup(const std::string& name, Type type, Callback cb) override {
    // Every answer is timed and counted by status, cache hits included (labelled).
    Callback observed = [cb = std::move(cb),
                         started = std::chrono::steady_clock::now()](const Answer& a) {
      auto& r = core::metrics::Registry::instance();
      static auto& latency = r.histogram("portcullis_dns_lookup_duration_seconds",
                                         "DNS lookups through the shared resolver");
      latency.observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      r.counter(
           "portcullis_dns_lookups_total", "DNS lookups by result status",
           {{"status", std::string(statusName(a.status))}, {"cached", a.cached ? "yes" : "no"}})
          .add();
      cb(a);
    };
    // `this` is safe: the destructor joins the loop before anything it touches goes away.
    asio::post(io_, [this, name, type, cb = std::move(observed)]() mutable {
      begin(name, type, std::move(cb));
    });
  }

  Answer lookupBlocking(const std::string& name, Type type) override {
    if (core::refuseBlockingOnEventLoop()) {
      Answer a;
      a.status = Status::ServFail;
      a.detail = "blocking DNS refused on an event-loop thread";
      return a;
    }
    auto promise = std::make_shared<std::promise<Answer>>();
    auto future = promise->get_future();
    lookup(name, type, [promise](const Answer& a) { promise->set_value(a); });
    try {
      return future.get();
    } catch (const std::future_error&) {  // the resolver shut down before the lookup ran
      return failed(Status::ServFail, "resolver shut down");
    }
  }

  ResolverStats stats() const override {
    std::lock_guard lock(statsMutex_);
    return stats_;
  }

 private:
  struct Watcher {
    asio::posix::stream_descriptor desc;
    ares_socket_t fd;
    bool wantRead = false, wantWrite = false, readArmed = false, writeArmed = false, closed = false;
    Watcher(asio::io_context& io, ares_socket_t f) : desc(io, f), fd(f) {}
  };

  struct Pending {
    std::vector<Callback> waiters;
    Key key;
    int hops = 0;
    std::vector<std::string> cnames;
    AresResolver* self;
  };

  struct CacheEntry {
    Answer answer;
    std::chrono::steady_clock::time_point expires;
  };

  void count(uint64_t ResolverStats::*field) {
    std::lock_guard lock(statsMutex_);
    ++(stats_.*field);
  }

  void begin(const std::string& rawName, Type type, Callback cb) {
    count(&ResolverStats::queries);
    auto name = normalizeName(rawName);
    if (!name) {
      Answer a;
      a.status = Status::BadName;
      a.detail = "not a valid domain name";
      cb(a);
      return;
    }
    Key key{*name, type};
    const auto now = std::chrono::steady_clock::now();
    if (auto it = cache_.find(key); it != cache_.end()) {
      if (it->second.expires > now) {
        count(&ResolverStats::cacheHits);
        Answer a = it->second.answer;
        a.cached = true;
        cb(a);
        return;
      }
      cache_.erase(it);
    }
    if (auto it = inflight_.find(key); it != inflight_.end()) {
      it->second->waiters.push_back(std::move(cb));
      return;
    }
    auto p = std::make_shared<Pending>();
    p->key = key;
    p->self = this;
    p->waiters.push_back(std::move(cb));
    inflight_[key] = p;
    send(p, key.name);
  }

  void send(const std::shared_ptr<Pending>& p, const std::string& qname) {
    unsigned char* buf = nullptr;
    int len = 0;
    // EDNS0 with a 1232-byte payload (the DNS flag day 2020 figure): DKIM keys fit in one UDP
    // answer; c-ares retries over TCP when a response is truncated anyway.
    if (ares_create_query(qname.c_str(), 1 /*IN*/, static_cast<int>(p->key.type), 0, 1, &buf, &len,
                          1232) != ARES_SUCCESS) {
      finish(p, failed(Status::BadName, "c-ares cannot encode the name"), std::chrono::seconds(0));
      return;
    }
    count(&ResolverStats::sent);
    auto* holder = new std::shared_ptr<Pending>(p);
    ares_send(channel_, buf, len, &AresResolver::onResponse, holder);
    ares_free_string(buf);
    armTimer();
  }

  static Answer failed(Status s, std::string detail) {
    Answer a;
    a.status = s;
    a.detail = std::move(detail);
    return a;
  }

  static void onResponse(void* arg, int status, int /*timeouts*/, unsigned char* abuf, int alen) {
    std::unique_ptr<std::shared_ptr<Pending>> holder(static_cast<std::shared_ptr<Pending>*>(arg));
    auto p = *holder;
    p->self->handle(p, status, abuf, alen);
  }

  void handle(const std::shared_ptr<Pending>& p, int status, unsigned char* abuf, int alen) {
    using namespace std::chrono;
    if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED) {
      finish(p, failed(Status::ServFail, "resolver shut down"), seconds(0));
      return;
    }
    if (status == ARES_ETIMEOUT) {
      count(&ResolverStats::timeouts);
      finish(p, failed(Status::Timeout, "no answer in time"), seconds(0));
      return;
    }
    if (status != ARES_SUCCESS || !abuf) {
      count(&ResolverStats::servfails);
      finish(p, failed(Status::ServFail, ares_strerror(status)), seconds(0));
      return;
    }
    std::string why;
    auto resp =
        parseResponse(std::string_view(reinterpret_cast<const char*>(abuf), size_t(alen)), &why);
    if (!resp) {
      count(&ResolverStats::servfails);
      finish(p, failed(Status::ServFail, "malformed response: " + why), seconds(0));
      return;
    }
    const std::string asked = p->cnames.empty() ? p->key.name : p->cnames.back();
    const seconds negTtl = std::min<seconds>(
        resp->negativeTtl ? seconds(*resp->negativeTtl) : settings_.defaultNegativeTtl,
        settings_.maxNegativeTtl);
    if (resp->rcode == 3) {
      finish(p, failed(Status::NxDomain, "no such domain"), negTtl);
      return;
    }
    if (resp->rcode != 0) {
      count(&ResolverStats::servfails);
      finish(p, failed(Status::ServFail, "rcode " + std::to_string(resp->rcode)), seconds(0));
      return;
    }
    Chain chain = followChain(resp->answers, asked, p->key.type);
    for (auto& c : chain.cnames) p->cnames.push_back(c);
    if (chain.loop || p->cnames.size() > 8) {
      finish(p, failed(Status::ServFail, "CNAME loop or chain too long"), seconds(0));
      return;
    }
    if (chain.records.empty() && chain.end != asked && p->hops < 8) {
      // The server gave the CNAME but not what it points to: ask for the target ourselves.
      ++p->hops;
      send(p, chain.end);
      return;
    }
    Answer a;
    a.cnames = p->cnames;
    if (chain.records.empty()) {
      a.status = Status::NoData;
      a.detail = "no " + std::string(typeName(p->key.type)) + " records";
      finish(p, a, negTtl);
      return;
    }
    a.status = Status::Ok;
    uint32_t ttl = UINT32_MAX;
    for (auto& r : chain.records) ttl = std::min(ttl, r.ttl);
    a.records = std::move(chain.records);
    finish(p, a, std::min<seconds>(seconds(ttl), settings_.maxTtl));
  }

  void finish(const std::shared_ptr<Pending>& p, const Answer& a, std::chrono::seconds ttl) {
    inflight_.erase(p->key);
    // SERVFAIL and timeouts are not cached: the next message asks again.
    if (ttl.count() > 0 && !isTemporary(a.status)) {
      if (cache_.size() >= settings_.cacheEntries) evict();
      cache_[p->key] = CacheEntry{a, std::chrono::steady_clock::now() + ttl};
    }
    for (auto& w : p->waiters) w(a);
  }

  void evict() {
    const auto now = std::chrono::steady_clock::now();
    std::erase_if(cache_, [&](const auto& kv) { return kv.second.expires <= now; });
    // Still full of live entries: drop about half rather than track recency for every hit.
    size_t i = 0;
    if (cache_.size() >= settings_.cacheEntries)
      std::erase_if(cache_, [&](const auto&) { return i++ % 2 == 0; });
  }

  // c-ares tells us which sockets to watch; Asio watches them on the resolver's loop.
  static void socketState(void* data, ares_socket_t fd, int readable, int writable) {
    static_cast<AresResolver*>(data)->watch(fd, readable, writable);
  }

  void watch(ares_socket_t fd, bool readable, bool writable) {
    auto it = watchers_.find(fd);
    if (!readable && !writable) {
      if (it != watchers_.end()) {
        // c-ares closes the descriptor itself right after this: stop watching, do not close.
        it->second->closed = true;
        std::error_code ec;
        it->second->desc.cancel(ec);
        it->second->desc.release();
        watchers_.erase(it);
      }
      return;
    }
    if (it == watchers_.end()) it = watchers_.emplace(fd, std::make_shared<Watcher>(io_, fd)).first;
    auto w = it->second;
    w->wantRead = readable;
    w->wantWrite = writable;
    arm(w);
  }

  void arm(const std::shared_ptr<Watcher>& w) {
    if (w->closed) return;
    if (w->wantRead && !w->readArmed) {
      w->readArmed = true;
      w->desc.async_wait(asio::posix::descriptor_base::wait_read, [this, w](std::error_code ec) {
        w->readArmed = false;
        if (ec || w->closed) return;
        ares_process_fd(channel_, w->fd, ARES_SOCKET_BAD);
        arm(w);
        armTimer();
      });
    }
    if (w->wantWrite && !w->writeArmed) {
      w->writeArmed = true;
      w->desc.async_wait(asio::posix::descriptor_base::wait_write, [this, w](std::error_code ec) {
        w->writeArmed = false;
        if (ec || w->closed) return;
        ares_process_fd(channel_, ARES_SOCKET_BAD, w->fd);
        arm(w);
        armTimer();
      });
    }
  }

  void armTimer() {
    timeval tv{};
    if (!ares_timeout(channel_, nullptr, &tv)) return;  // nothing outstanding
    timer_.expires_after(std::chrono::seconds(tv.tv_sec) + std::chrono::microseconds(tv.tv_usec));
    timer_.async_wait([this](std::error_code ec) {
      if (ec) return;
      ares_process_fd(channel_, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
      armTimer();
    });
  }

  ResolverSettings settings_;
  asio::io_context io_{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_{
      io_.get_executor()};
  asio::steady_timer timer_{io_};
  std::thread thread_;
  ares_channel channel_ = nullptr;
  std::map<ares_socket_t, std::shared_ptr<Watcher>> watchers_;
  std::unordered_map<Key, CacheEntry, KeyHash> cache_;
  std::unordered_map<Key, std::shared_ptr<Pending>, KeyHash> inflight_;
  mutable std::mutex statsMutex_;
  ResolverStats stats_;
};

}  // namespace

std::shared_ptr<Resolver> Resolver::create(const ResolverSettings& settings, std::string* error) {
  auto r = std::make_shared<AresResolver>(settings);
  if (!r->start(error)) return nullptr;
  return r;
}

}  // namespace portcullis::dns
