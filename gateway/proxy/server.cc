#include "gateway/proxy/server.h"

#include <sys/stat.h>
#include <unistd.h>

#include <csignal>

#include "gateway/content/content_rules_check.h"
#include "gateway/core/log.h"
#include "gateway/core/metrics.h"
#include "gateway/core/thread_role.h"
#include "gateway/milter/milter_connection.h"
#include "gateway/net/socket_activation.h"
#include "gateway/net/tls_context.h"
#include "gateway/proxy/privileges.h"
#include "gateway/quarantine/quarantine_store.h"
#include "gateway/relay/maildir_downstream.h"

namespace portcullis::proxy {

Server::Server(std::string configPath, std::vector<config::Override> overrides,
               std::shared_ptr<const config::Snapshot> snapshot)
    : configPath_(std::move(configPath)),
      overrides_(std::move(overrides)),
      snapshot_(std::move(snapshot)) {}

Server::~Server() {
  for (auto& w : workers_) w->stop();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  // Accepts aborted by the shutdown may still sit in the main loop's queue, each holding a
  // socket made on a worker's context: let them finish now, while those contexts exist
  // (destroying them with the main loop afterwards was a use after free, found by ASan).
  main_.restart();
  main_.poll();
  // Sessions still open after the shutdown timeout live as coroutine frames inside the worker
  // contexts; destroy those now, while the registries and shared state they touch still exist.
  guards_.clear();
  workers_.clear();
  shared_.filePool.join();
  shared_.storePool.join();
  reloadPool_.join();
  for (const auto& path : milterSocketPaths_) ::unlink(path.c_str());
}

namespace {
// Counts a connection and holds it in the active-sessions gauge while it lives.
struct SessionGauge {
  core::metrics::Gauge& active;
  explicit SessionGauge(const char* door)
      : active(core::metrics::Registry::instance().gauge(
            "portcullis_sessions_active", "Open client (smtp) and MTA (milter) connections",
            {{"door", door}})) {
    core::metrics::Registry::instance()
        .counter("portcullis_connections_total", "Accepted connections by front door",
                 {{"door", door}})
        .add();
    active.add(1);
  }
  ~SessionGauge() { active.add(-1); }
};

core::metrics::Counter& reloads(const char* result) {
  return core::metrics::Registry::instance().counter("portcullis_config_reloads_total",
                                                     "Configuration reloads (SIGHUP) by result",
                                                     {{"result", result}});
}

// With a shared store the rates are counted there, by every node; this process keeps the
// concurrency limits and the global cap, which belong to its own connections.
firewall::LimitSettings localLimits(const config::Snapshot& s) {
  firewall::LimitSettings l = s.config->firewall.limits;
  if (s.sharedStore) l.ratePerIp = l.ratePerSubnet = 0;
  return l;
}
}  // namespace

std::shared_ptr<const config::Snapshot> Server::current() {
  std::lock_guard lock(snapshotMutex_);
  return snapshot_;
}

int Server::run() {
  const config::Config& c = *current()->config;
  core::log::setLevel(c.logLevel);
  core::log::setFormat(c.logFormat);
  shared_.limiter.configure(localLimits(*current()));
  shared_.clientCache.setCapacity(c.firewall.cacheEntries);
  std::signal(SIGPIPE, SIG_IGN);

  if (c.smtp.offerStartTls) {
    auto tls = net::makeServerTlsContext(c.tlsCertFile, c.tlsKeyFile, c.hostname);
    if (!tls.context) {
      core::log::error("STARTTLS: " + tls.error);
      return 1;
    }
    core::log::info("STARTTLS: " + tls.description);
    shared_.serverTls = tls.context;
  }
  if (c.relay.tls != relay::DownstreamTls::Off) {
    auto tls = net::makeClientTlsContext(c.relay.tlsVerify, c.relay.tlsCaFile);
    if (!tls.context) {
      core::log::error(tls.error);
      return 1;
    }
    shared_.clientTls = tls.context;
  }

  if (c.downstream.kind == relay::DownstreamUrl::Kind::Maildir) {
    if (auto err = relay::createMaildir(c.downstream.path); !err.empty()) {
      core::log::error("downstream maildir: " + err);
      return 1;
    }
  }
  if (auto err = quarantine::QuarantineStore(c.quarantineDir).create(); !err.empty()) {
    core::log::error("quarantine: " + err);
    return 1;
  }
  std::string activationError;
  const auto activated = net::takeActivatedSockets(&activationError);
  if (!activationError.empty()) {
    core::log::error(activationError);
    return 1;
  }
  bool smtpActivated = false, milterActivated = false, adminActivated = false;
  for (const auto& s : activated) {
    // By FileDescriptorName=: "milter" and "admin" are those; a UNIX socket with no name is
    // the milter's; anything else is SMTP.
    const bool v6 = s.family == AF_INET6;
    if (s.name == "milter" || (s.name.empty() && s.family == AF_UNIX)) {
      auto acc = std::make_unique<GenericAcceptor>(
          main_, asio::generic::stream_protocol(s.family, 0), s.fd);
      milterAcceptors_.emplace_back(std::move(acc), s.family != AF_UNIX);
      core::log::info("milter listening on " + s.address + " (from systemd)");
      milterActivated = true;
    } else if (s.name == "admin" && s.family != AF_UNIX) {
      admin_.adopt(s.fd, v6, s.address);
      adminActivated = true;
    } else if (s.family == AF_INET || s.family == AF_INET6) {
      acceptors_.push_back(std::make_unique<asio::ip::tcp::acceptor>(
          main_, v6 ? asio::ip::tcp::v6() : asio::ip::tcp::v4(), s.fd));
      core::log::info("listening on " + s.address + " (from systemd)");
      smtpActivated = true;
    } else {
      core::log::error("socket activation: " + s.address + " (" + s.name +
                       ") is neither TCP for SMTP nor named milter or admin");
      return 1;
    }
  }
  // Sockets systemd passed replace the configured addresses of their kind.
  for (const auto& l : smtpActivated ? std::vector<config::ListenAddress>{} : c.listen) {
    try {
      auto addr = asio::ip::make_address(l.host == "localhost" ? "127.0.0.1" : l.host);
      auto acc = std::make_unique<asio::ip::tcp::acceptor>(main_);
      asio::ip::tcp::endpoint ep(addr, l.port);
      acc->open(ep.protocol());
      acc->set_option(asio::socket_base::reuse_address(true));
      if (addr.is_v6()) acc->set_option(asio::ip::v6_only(true));
      acc->bind(ep);
      acc->listen(asio::socket_base::max_listen_connections);
      core::log::info("listening on " + l.str());
      acceptors_.push_back(std::move(acc));
    } catch (const std::system_error& e) {
      core::log::error("cannot listen on " + l.str() + ": " + e.code().message());
      return 1;
    }
  }
  if (!milterActivated)
    for (const auto& m : c.milter.listen)
      if (!listenMilter(m)) return 1;
  if (!adminActivated && c.adminListen && !admin_.listen(*c.adminListen)) return 1;

  // Everything that needs root is done: ports bound, keys read, stores open.
  std::vector<std::string> owned = {c.quarantineDir, c.rules.cacheDir};
  if (c.downstream.kind == relay::DownstreamUrl::Kind::Maildir) owned.push_back(c.downstream.path);
  if (c.store.starts_with("lmdb:")) owned.push_back(c.store.substr(5));
  owned.insert(owned.end(), milterSocketPaths_.begin(), milterSocketPaths_.end());
  if (auto err = dropPrivileges(c, owned); !err.empty()) {
    core::log::error(err);
    return 1;
  }
  core::metrics::Registry::instance()
      .gauge("portcullis_build_info", "Always 1; the version is a label",
             {{"version", PORTCULLIS_VERSION_STRING}})
      .set(1);
  if (acceptors_.empty()) core::log::info("milter only: no SMTP listener");
  core::log::info("downstream " + c.downstream.str() +
                  ", relay_domains: " + std::to_string(c.relayDomains.size()) +
                  ", workers: " + std::to_string(c.workers));

  sessions_.resize(c.workers);
  for (int i = 0; i < c.workers; ++i) {
    workers_.push_back(std::make_unique<asio::io_context>(1));
    guards_.push_back(asio::make_work_guard(*workers_.back()));
  }
  for (auto& w : workers_)
    threads_.emplace_back([ctx = w.get()] {
      core::markEventLoopThread();
      ctx->run();
    });

  for (auto& acc : acceptors_) asio::co_spawn(main_, acceptLoop(*acc), asio::detached);
  for (auto& [acc, tcp] : milterAcceptors_)
    asio::co_spawn(main_, milterAcceptLoop(*acc, tcp), asio::detached);
  asio::co_spawn(main_, signalLoop(), asio::detached);
  admin_.setConsole(std::make_unique<Console>(consoleBackend()));
  admin_.start();
  core::markEventLoopThread();  // the accept and signal loop
  main_.run();
  // The resolver refuses (and counts) any blocking lookup from an event-loop thread; zero here
  // is the evidence that no DNS call ran on one. The tests read this line.
  core::log::info("stopped; blocking calls refused on event-loop threads: " +
                  std::to_string(core::blockingCallsRefused()));
  return 0;
}

ConsoleBackend Server::consoleBackend() {
  ConsoleBackend b;
  b.password = [this] { return current()->config->consolePassword; };
  b.quarantineDir = [this] { return current()->config->quarantineDir; };
  b.rules = [this] {
    std::vector<RuleRow> out;
    auto snapshot = current();
    for (const auto& check : snapshot->pipeline->checks()) {
      const auto* content = dynamic_cast<const content::ContentRulesCheck*>(check.get());
      if (!content) continue;
      const auto& compiled = content->compiled();
      for (const auto& r : compiled.rules())
        // "__" names are SpamAssassin's non-scoring parts of meta rules, not rules to show.
        if (r.support == rules::Support::Ok && !r.name.starts_with("__"))
          out.push_back({r.name, r.description, r.score(compiled.scoreSet())});
    }
    return out;
  };
  b.release = [this](std::string id, std::string who) {
    return consoleRelease(std::move(id), std::move(who));
  };
  b.filePool = &shared_.filePool;
  return b;
}

asio::awaitable<quarantine::ReleaseResult> Server::consoleRelease(std::string id, std::string who) {
  auto snapshot = current();
  const quarantine::QuarantineStore store(snapshot->config->quarantineDir);
  auto result = co_await quarantine::release(store, id, *snapshot->config, shared_, who);
  co_return result;
}

asio::awaitable<void> Server::acceptLoop(asio::ip::tcp::acceptor& acceptor) {
  while (!shared_.stopping) {
    size_t index = nextWorker_++ % workers_.size();
    asio::io_context& worker = *workers_[index];
    std::error_code ec;
    asio::ip::tcp::socket sock =
        co_await acceptor.async_accept(worker, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted || shared_.stopping) co_return;
      core::log::warn("accept: " + ec.message());
      continue;
    }
    auto protocol = sock.local_endpoint(ec).protocol();
    net::Socket generic(worker,
                        asio::generic::stream_protocol(protocol.family(), protocol.protocol()),
                        sock.release());
    auto snapshot = current();
    auto& registry = sessions_[index];
    asio::co_spawn(
        worker,
        [this, s = std::move(generic), snapshot, &registry]() mutable -> asio::awaitable<void> {
          SessionGauge counted("smtp");
          ProxySession session(std::move(s), snapshot, shared_);
          registry.insert(&session);
          struct Unregister {
            std::set<ProxySession*>& r;
            ProxySession* p;
            ~Unregister() { r.erase(p); }
          } unregister{registry, &session};
          try {
            co_await session.run();
          } catch (const std::exception& e) {
            // A bug, not bad input: log it and drop the connection; nothing was acknowledged.
            core::log::error(std::string("session aborted: ") + e.what());
          }
        },
        asio::detached);
  }
}

bool Server::listenMilter(const config::MilterListen& l) {
  try {
    auto acc = std::make_unique<GenericAcceptor>(main_);
    if (l.unix) {
      // A socket left by a previous run is removed; anything else at that path is not ours.
      struct stat st {};
      if (::lstat(l.path.c_str(), &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
          core::log::error("cannot listen on milter " + l.str() + ": not a socket");
          return false;
        }
        ::unlink(l.path.c_str());
      }
      asio::local::stream_protocol::endpoint ep(l.path);
      asio::generic::stream_protocol::endpoint gep(ep.data(), ep.size());
      acc->open(gep.protocol());
      acc->bind(gep);
      // The MTA's user must reach it: the owner and group (run the MTA in our group).
      ::chmod(l.path.c_str(), 0660);
      milterSocketPaths_.push_back(l.path);
    } else {
      auto addr = asio::ip::make_address(l.inet.host == "localhost" ? "127.0.0.1" : l.inet.host);
      asio::ip::tcp::endpoint ep(addr, l.inet.port);
      asio::generic::stream_protocol::endpoint gep(ep.data(), ep.size());
      acc->open(gep.protocol());
      acc->set_option(asio::socket_base::reuse_address(true));
      acc->bind(gep);
    }
    acc->listen(asio::socket_base::max_listen_connections);
    core::log::info("milter listening on " + l.str());
    milterAcceptors_.emplace_back(std::move(acc), !l.unix);
    return true;
  } catch (const std::system_error& e) {
    core::log::error("cannot listen on milter " + l.str() + ": " + e.code().message());
    return false;
  }
}

asio::awaitable<void> Server::milterAcceptLoop(GenericAcceptor& acceptor, bool tcp) {
  static std::atomic<unsigned long long> counter{0};
  static const auto base = static_cast<unsigned long long>(time(nullptr));
  while (!shared_.stopping) {
    asio::io_context& worker = *workers_[nextWorker_++ % workers_.size()];
    std::error_code ec;
    net::Socket sock =
        co_await acceptor.async_accept(worker, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted || shared_.stopping) co_return;
      core::log::warn("milter accept: " + ec.message());
      continue;
    }
    // Each packet is a round trip to the MTA: without this, Nagle's algorithm and delayed
    // ACKs hold every small reply for tens of milliseconds.
    if (tcp) sock.set_option(asio::ip::tcp::no_delay(true), ec);
    char id[40];
    std::snprintf(id, sizeof id, "M%llX%05llX", base, ++counter);
    asio::co_spawn(
        worker,
        [s = std::move(sock), snapshot = current(),
         id = std::string(id)]() mutable -> asio::awaitable<void> {
          SessionGauge counted("milter");
          milter::MilterConnection connection(std::move(s), snapshot, id);
          try {
            co_await connection.run();
          } catch (const std::exception& e) {
            core::log::error(std::string("milter session aborted: ") + e.what());
          }
        },
        asio::detached);
  }
}

asio::awaitable<void> Server::signalLoop() {
  while (true) {
    std::error_code ec;
    int sig = co_await signals_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    if (sig == SIGHUP) {
      reload();
      continue;
    }
    core::log::info(std::string("received ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT") +
                    ", shutting down");
    beginShutdown();
    co_return;
  }
}

void Server::reload() {
  core::log::info("SIGHUP: reloading " +
                  (configPath_.empty() ? std::string("defaults") : configPath_));
  // Built off the event loops; swapped in atomically. Sessions keep the snapshot they started with.
  asio::post(reloadPool_, [this] {
    auto result = config::loadSnapshot(configPath_, overrides_);
    asio::post(main_, [this, result = std::move(result)] {
      if (!result.snapshot) {
        for (const auto& e : result.errors) core::log::error("reload: " + e.str());
        core::log::error("reload failed: keeping the running configuration");
        reloads("failed").add();
        return;
      }
      for (const auto& w : result.warnings) core::log::warn(w);
      const auto& old = *current()->config;
      const auto& now = *result.snapshot->config;
      if (old.listen.size() != now.listen.size() || old.workers != now.workers)
        core::log::warn("reload: listen addresses and workers change only on restart");
      {
        std::lock_guard lock(snapshotMutex_);
        snapshot_ = result.snapshot;
      }
      core::log::setLevel(now.logLevel);
      core::log::setFormat(now.logFormat);
      // The firewall's counters and caches outlive the reload; only their limits change.
      shared_.limiter.configure(localLimits(*result.snapshot));
      shared_.clientCache.setCapacity(now.firewall.cacheEntries);
      core::log::info("reload complete");
      reloads("ok").add();
    });
  });
}

void Server::beginShutdown() {
  shared_.stopping = true;
  for (auto& acc : acceptors_) {
    std::error_code ignored;
    acc->close(ignored);
  }
  // Milter connections are the MTA's: they end when it closes them or when the workers stop.
  for (auto& [acc, tcp] : milterAcceptors_) {
    std::error_code ignored;
    acc->close(ignored);
  }
  // Idle sessions are told 421 now; sessions inside a transaction finish it first.
  for (size_t i = 0; i < workers_.size(); ++i)
    asio::post(*workers_[i], [this, i] {
      for (auto* s : sessions_[i]) s->kick();
    });
  const auto deadline = std::chrono::steady_clock::now() + current()->config->shutdownTimeout;
  asio::co_spawn(
      main_,
      [this, deadline]() -> asio::awaitable<void> {
        asio::steady_timer timer(main_);
        while (shared_.activeSessions > 0 && std::chrono::steady_clock::now() < deadline) {
          timer.expires_after(std::chrono::milliseconds(50));
          co_await timer.async_wait(asio::use_awaitable);
        }
        if (shared_.activeSessions > 0)
          core::log::warn("shutdown timeout: dropping " +
                          std::to_string(shared_.activeSessions.load()) +
                          " session(s); their open transactions were not acknowledged");
        for (auto& g : guards_) g.reset();
        for (auto& w : workers_) w->stop();
        main_.stop();
      },
      asio::detached);
}

}  // namespace portcullis::proxy
