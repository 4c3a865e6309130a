// The admin listener ([admin] listen, loopback in the shipped config): a minimal HTTP/1.1
// server on the main loop for
//   GET /metrics   the Prometheus text format (core::metrics)
//   GET /healthz   200 while the process serves requests at all
//   GET /readyz    200 while it accepts mail, 503 once shutting down
//   /console       the web console (console.h), when a password is configured
// One request per connection, bounded in size and time; anything else gets 404 or 405.
#pragma once
#include <functional>
#include <memory>
#include <string>

#include "gateway/config/config.h"
#include "gateway/net/asio.h"
#include "gateway/proxy/console.h"

namespace portcullis::proxy {

class AdminServer {
 public:
  AdminServer(asio::io_context& ctx, std::function<bool()> ready);
  // Serves /console through `console` from now on.
  void setConsole(std::unique_ptr<Console> console) { console_ = std::move(console); }
  // Binds; false (logged) when it cannot.
  bool listen(const config::ListenAddress& address);
  // Serves on a listening socket systemd passed (socket activation).
  void adopt(int fd, bool v6, const std::string& address);
  void start();
  void stop();

  // The whole response to a request for /metrics, /healthz or /readyz (or anything else).
  static std::string respond(const HttpRequest& request, bool ready);

 private:
  asio::awaitable<void> acceptLoop();
  asio::awaitable<void> serve(asio::ip::tcp::socket socket);

  asio::io_context& ctx_;
  std::function<bool()> ready_;
  std::unique_ptr<asio::ip::tcp::acceptor> acceptor_;
  std::unique_ptr<Console> console_;
};

}  // namespace portcullis::proxy
