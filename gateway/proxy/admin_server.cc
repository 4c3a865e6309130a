#include "gateway/proxy/admin_server.h"

#include <cstdlib>

#include "gateway/core/log.h"
#include "gateway/core/metrics.h"

namespace portcullis::proxy {

namespace {

constexpr size_t kMaxRequest = 8192;
constexpr size_t kMaxBody = 16384;
constexpr auto kTimeout = std::chrono::seconds(5);

}  // namespace

AdminServer::AdminServer(asio::io_context& ctx, std::function<bool()> ready)
    : ctx_(ctx), ready_(std::move(ready)) {}

std::string AdminServer::respond(const HttpRequest& r, bool ready) {
  const bool head = r.method == "HEAD";
  if (r.method != "GET" && !head)
    return httpResponse(405, "Method Not Allowed", "text/plain", "GET or HEAD only\n");
  if (r.path == "/metrics")
    return httpResponse(200, "OK", "text/plain; version=0.0.4; charset=utf-8",
                        core::metrics::Registry::instance().render(), "", head);
  if (r.path == "/healthz") return httpResponse(200, "OK", "text/plain", "ok\n", "", head);
  if (r.path == "/readyz")
    return ready ? httpResponse(200, "OK", "text/plain", "ready\n", "", head)
                 : httpResponse(503, "Service Unavailable", "text/plain", "shutting down\n", "",
                                head);
  return httpResponse(404, "Not Found", "text/plain", "/metrics, /healthz or /readyz\n", "", head);
}

bool AdminServer::listen(const config::ListenAddress& a) {
  try {
    auto addr = asio::ip::make_address(a.host == "localhost" ? "127.0.0.1" : a.host);
    acceptor_ = std::make_unique<asio::ip::tcp::acceptor>(ctx_);
    asio::ip::tcp::endpoint ep(addr, a.port);
    acceptor_->open(ep.protocol());
    acceptor_->set_option(asio::socket_base::reuse_address(true));
    acceptor_->bind(ep);
    acceptor_->listen();
    core::log::info("admin listening on " + a.str() + " (/metrics, /healthz, /readyz)");
    return true;
  } catch (const std::system_error& e) {
    core::log::error("cannot listen on admin " + a.str() + ": " + e.code().message());
    acceptor_.reset();
    return false;
  }
}

void AdminServer::adopt(int fd, bool v6, const std::string& address) {
  acceptor_ = std::make_unique<asio::ip::tcp::acceptor>(
      ctx_, v6 ? asio::ip::tcp::v6() : asio::ip::tcp::v4(), fd);
  core::log::info("admin listening on " + address + " (from systemd)");
}

void AdminServer::start() {
  if (acceptor_) asio::co_spawn(ctx_, acceptLoop(), asio::detached);
}

void AdminServer::stop() {
  if (!acceptor_) return;
  std::error_code ignored;
  acceptor_->close(ignored);
}

asio::awaitable<void> AdminServer::acceptLoop() {
  while (acceptor_ && acceptor_->is_open()) {
    std::error_code ec;
    auto socket = co_await acceptor_->async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted) co_return;
      continue;
    }
    asio::co_spawn(ctx_, serve(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> AdminServer::serve(asio::ip::tcp::socket socket) {
  // A slow or silent client is cut off; the main loop must stay free for signals.
  asio::steady_timer deadline(ctx_, kTimeout);
  deadline.async_wait([&socket](std::error_code ec) {
    if (!ec) {
      std::error_code ignored;
      socket.close(ignored);
    }
  });
  std::string request;
  char buf[1024];
  while (request.find("\r\n\r\n") == std::string::npos && request.size() < kMaxRequest) {
    std::error_code ec;
    size_t n = co_await socket.async_read_some(asio::buffer(buf),
                                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    request.append(buf, n);
  }
  const size_t headEnd = request.find("\r\n\r\n");
  auto parsed = headEnd == std::string::npos ? std::nullopt
                                             : parseRequestHead(request.substr(0, headEnd + 2));
  // The body (a login form, a quarantine id): Content-Length bytes, bounded.
  const size_t length =
      parsed ? std::strtoul(parsed->header("content-length").c_str(), nullptr, 10) : 0;
  if (parsed && length <= kMaxBody) {
    parsed->body = request.substr(headEnd + 4);
    while (parsed->body.size() < length) {
      std::error_code ec;
      size_t n = co_await socket.async_read_some(asio::buffer(buf),
                                                 asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      parsed->body.append(buf, n);
    }
    parsed->body.resize(length);
  }
  std::string out;
  if (headEnd == std::string::npos) {
    out = httpResponse(431, "Request Header Fields Too Large", "text/plain", "");
  } else if (!parsed) {
    out = httpResponse(400, "Bad Request", "text/plain", "malformed request line\n");
  } else if (length > kMaxBody) {
    out = httpResponse(413, "Payload Too Large", "text/plain", "request body too large\n");
  } else if (console_ && Console::handles(parsed->path)) {
    // A release waits for the downstream, bounded by the relay's own timeouts.
    deadline.cancel();
    out = co_await console_->handle(*parsed);
  } else {
    out = respond(*parsed, ready_());
  }
  std::error_code ec;
  co_await asio::async_write(socket, asio::buffer(out),
                             asio::redirect_error(asio::use_awaitable, ec));
  deadline.cancel();
  socket.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
}

}  // namespace portcullis::proxy
