#include "gateway/net/stream.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>

namespace portcullis::net {

namespace {
auto tokenFor(std::error_code& ec) {
  return asio::redirect_error(asio::use_awaitable, ec);
}
}  // namespace

Stream::Stream(Socket socket) : socket_(std::move(socket)), timer_(socket_.get_executor()) {
  std::error_code ignored;
  socket_.non_blocking(true, ignored);  // readSome's synchronous read after the wait
}

Stream::~Stream() {
  timer_.cancel();
}

void setNoDelay(Socket& s) {
  if (s.local_endpoint().protocol().family() == AF_INET ||
      s.local_endpoint().protocol().family() == AF_INET6) {
    int one = 1;
    ::setsockopt(s.native_handle(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
}

void Stream::setDeadline(std::chrono::steady_clock::duration d) {
  deadline_->timedOut = false;
  deadline_->at = std::chrono::steady_clock::now() + d;
  // A deadline earlier than the armed timer's (the greeting delay after an idle timeout) needs
  // the timer moved; a later one is caught when the timer fires.
  if (!deadline_->armed || deadline_->at < deadline_->timerAt) armTimer(deadline_->at);
}

void Stream::armTimer(std::chrono::steady_clock::time_point at) {
  deadline_->armed = true;
  deadline_->timerAt = at;
  const uint64_t generation = ++deadline_->generation;
  timer_.expires_at(at);  // cancels a wait already pending: its handler sees a newer generation
  timer_.async_wait([this, state = deadline_, generation](std::error_code ec) {
    if (generation != state->generation) return;  // superseded by a re-arm
    if (ec) {                                     // cancelled: the stream is going away
      state->armed = false;
      return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (state->at == std::chrono::steady_clock::time_point::max()) {
      state->armed = false;  // no operation pending; the next setDeadline() re-arms
    } else if (now < state->at) {
      armTimer(state->at);  // the deadline moved on since this timer was set
    } else {
      state->armed = false;
      state->timedOut = true;
      std::error_code ignored;
      socket_.cancel(ignored);
    }
  });
}

void Stream::clearDeadline() {
  deadline_->at = std::chrono::steady_clock::time_point::max();
}

std::error_code Stream::translate(std::error_code ec) const {
  if (ec && deadline_->timedOut) return std::make_error_code(std::errc::timed_out);
  return ec;
}

asio::awaitable<std::error_code> Stream::readSome(std::string& into, size_t max) {
  std::error_code ec;
  size_t n = 0;
  if (tls_) {
    // One buffer per TLS stream, allocated once: resizing `into` would zero-fill it every read.
    if (readBuf_.size() < max) readBuf_.resize(max);
    n = co_await tls_->async_read_some(asio::buffer(readBuf_.data(), max), tokenFor(ec));
    into.append(readBuf_.data(), n);
  } else {
    // Plain sockets wait for readability and then read into the thread's buffer: an idle
    // connection holds no read buffer at all (thousands of them are what a flood looks like).
    thread_local std::vector<char> buffer;
    while (true) {
      co_await socket_.async_wait(asio::socket_base::wait_read, tokenFor(ec));
      if (ec) break;
      if (buffer.size() < max) buffer.resize(max);
      n = socket_.read_some(asio::buffer(buffer.data(), max), ec);
      if (ec != asio::error::would_block && ec != asio::error::try_again) break;
      ec.clear();
    }
    into.append(buffer.data(), n);
  }
  if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated)
    co_return std::error_code{};
  co_return translate(ec);
}

asio::awaitable<std::error_code> Stream::write(std::string_view bytes) {
  std::error_code ec;
  if (tls_)
    co_await asio::async_write(*tls_, asio::buffer(bytes.data(), bytes.size()), tokenFor(ec));
  else
    co_await asio::async_write(socket_, asio::buffer(bytes.data(), bytes.size()), tokenFor(ec));
  co_return translate(ec);
}

asio::awaitable<std::error_code> Stream::handshake(asio::ssl::context& ctx,
                                                   asio::ssl::stream_base::handshake_type type,
                                                   const std::string& serverName) {
  tls_ = std::make_unique<asio::ssl::stream<Socket&>>(socket_, ctx);
  if (!serverName.empty() && type == asio::ssl::stream_base::client) {
    std::error_code notIp;
    asio::ip::make_address(serverName, notIp);
    if (!notIp) {
      // RFC 6066: no SNI for IP literals; verify the certificate's IP SAN instead.
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(tls_->native_handle()), serverName.c_str());
    } else {
      SSL_set_tlsext_host_name(tls_->native_handle(), serverName.c_str());
      SSL_set1_host(tls_->native_handle(), serverName.c_str());
    }
  }
  std::error_code ec;
  co_await tls_->async_handshake(type, tokenFor(ec));
  co_return translate(ec);
}

core::TlsInfo Stream::tlsInfo() const {
  core::TlsInfo info;
  if (!tls_) return info;
  info.active = true;
  info.version = SSL_get_version(tls_->native_handle());
  info.cipher = SSL_get_cipher_name(tls_->native_handle());
  return info;
}

void Stream::close() {
  timer_.cancel();
  std::error_code ignored;
  socket_.shutdown(asio::socket_base::shutdown_both, ignored);
  socket_.close(ignored);
}

}  // namespace portcullis::net
