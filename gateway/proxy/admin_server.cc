#include "gateway/proxy/admin_server.h"

#include <cstdlib>

#include "gateway/core/log.h"
#include "gateway/core/metrics.h"

namespace portcullis::proxy {

namespace {

std::string response(int code, std::string_view reason, std::string_view contentType,
                     const std::string& body, bool head = false) {
  return httpResponse(code, reason, contentType, body, "", head);
}

constexpr size_t kMaxRequest = 8192;
constexpr size_t kMaxBody = 16384;
constexpr auto kTimeout = std::chrono::seconds(5);

}  // namespace

AdminServer::AdminServer(asio::io_context& ctx, std::function<bool()> ready)
    : ctx_(ctx), ready_(std::move(ready)) {}

std::string AdminServer::respond(std::string_view head, bool ready) {
  const auto lineEnd = head.find("\r\n");
  const std::string_view line = head.substr(0, lineEnd);
  const auto sp1 = line.find(' ');
  const auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp1 == std::string_view::npos || sp2 == std::string_view::npos ||
      !line.substr(sp2 + 1).starts_with("HTTP/1."))
    return response(400, "Bad Request", "text/plain", "malformed request line\n");
  const std::string_view method = line.substr(0, sp1);
  std::string_view path = line.substr(sp1 + 1, sp2 - sp1 - 1);
  path = path.substr(0, path.find('?'));
  const bool isHead = method == "HEAD";
  if (method != "GET" && !isHead)
    return response(405, "Method Not Allowed", "text/plain", "GET or HEAD only\n");
  if (path == "/metrics")
    return response(200, "OK", "text/plain; version=0.0.4; charset=utf-8",
                    core::metrics::Registry::instance().render(), isHead);
  if (path == "/healthz") return response(200, "OK", "text/plain", "ok\n", isHead);
  if (path == "/readyz")
    return ready ? response(200, "OK", "text/plain", "ready\n", isHead)
                 : response(503, "Service Unavailable", "text/plain", "shutting down\n", isHead);
  return response(404, "Not Found", "text/plain", "/metrics, /healthz or /readyz\n", isHead);
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
  std::string out;
  const size_t headEnd = request.find("\r\n\r\n");
  auto parsed = headEnd == std::string::npos ? std::nullopt
                                             : parseRequestHead(request.substr(0, headEnd + 2));
  if (headEnd == std::string::npos) {
    out =
        "HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n"
        "Content-Length: 0\r\n\r\n";
  } else if (parsed && console_ && Console::handles(parsed->path)) {
    // The body (a login form, a quarantine id): Content-Length bytes, bounded.
    const size_t length = std::strtoul(parsed->header("content-length").c_str(), nullptr, 10);
    if (length > kMaxBody) {
      out = response(413, "Payload Too Large", "text/plain", "request body too large\n");
    } else {
      std::string body = request.substr(headEnd + 4);
      while (body.size() < length) {
        std::error_code ec;
        size_t n = co_await socket.async_read_some(asio::buffer(buf),
                                                   asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return;
        body.append(buf, n);
      }
      parsed->body = body.substr(0, length);
      // A release waits for the downstream, bounded by the relay's own timeouts.
      deadline.cancel();
      out = co_await console_->handle(*parsed);
    }
  } else {
    out = respond(request, ready_());
  }
  std::error_code ec;
  co_await asio::async_write(socket, asio::buffer(out),
                             asio::redirect_error(asio::use_awaitable, ec));
  deadline.cancel();
  socket.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
}

}  // namespace portcullis::proxy
