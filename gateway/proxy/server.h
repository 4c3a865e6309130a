// The SMTP proxy server: listeners, worker event loops, signals (SIGTERM/SIGINT stop
// gracefully, SIGHUP reloads), and the current config snapshot.
#pragma once
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "gateway/config/snapshot.h"
#include "gateway/proxy/admin_server.h"
#include "gateway/proxy/proxy_session.h"
#include "gateway/proxy/shared_state.h"

namespace portcullis::proxy {

// Accepts TCP and UNIX-domain connections alike (the milter listens on either).
using GenericAcceptor = asio::basic_socket_acceptor<asio::generic::stream_protocol>;

class Server {
 public:
  Server(std::string configPath, std::vector<config::Override> overrides,
         std::shared_ptr<const config::Snapshot> snapshot);
  ~Server();
  // Binds, serves until stopped, returns the process exit status.
  int run();

 private:
  asio::awaitable<void> acceptLoop(asio::ip::tcp::acceptor& acceptor);
  asio::awaitable<void> milterAcceptLoop(GenericAcceptor& acceptor, bool tcp);
  bool listenMilter(const config::MilterListen& l);
  asio::awaitable<void> signalLoop();
  void reload();
  void beginShutdown();
  std::shared_ptr<const config::Snapshot> current();
  // The web console's view of this server: the current config's rules, and releases through
  // the current downstream.
  ConsoleBackend consoleBackend();
  asio::awaitable<quarantine::ReleaseResult> consoleRelease(std::string id, std::string who);

  std::string configPath_;
  std::vector<config::Override> overrides_;
  std::mutex snapshotMutex_;
  std::shared_ptr<const config::Snapshot> snapshot_;
  SharedState shared_;
  asio::io_context main_{1};
  std::vector<std::unique_ptr<asio::io_context>> workers_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards_;
  std::vector<std::thread> threads_;
  // Live sessions per worker, touched only on that worker's thread (for shutdown kicks).
  std::vector<std::set<ProxySession*>> sessions_;
  std::vector<std::unique_ptr<asio::ip::tcp::acceptor>> acceptors_;
  // Milter listeners (inet and unix), with whether each is TCP (for TCP_NODELAY).
  std::vector<std::pair<std::unique_ptr<GenericAcceptor>, bool>> milterAcceptors_;
  std::vector<std::string> milterSocketPaths_;  // removed at exit
  asio::signal_set signals_{main_, SIGTERM, SIGINT, SIGHUP};
  asio::thread_pool reloadPool_{1};
  AdminServer admin_{main_, [this] { return !shared_.stopping; }};
  size_t nextWorker_ = 0;
};

}  // namespace portcullis::proxy
