// A byte stream over a TCP or UNIX socket, with optional TLS on top and a deadline that
// cancels whatever operation is pending when it expires. The only place that moves bytes.
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "gateway/core/transaction.h"
#include "gateway/net/asio.h"

namespace portcullis::net {

using Socket = asio::generic::stream_protocol::socket;

class Stream {
 public:
  explicit Stream(Socket socket);
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  // Reads what is available (at least one byte). 0 bytes with no error means EOF.
  asio::awaitable<std::error_code> readSome(std::string& into, size_t max = 64 * 1024);
  asio::awaitable<std::error_code> write(std::string_view bytes);
  asio::awaitable<std::error_code> handshake(asio::ssl::context& ctx,
                                             asio::ssl::stream_base::handshake_type type,
                                             const std::string& serverName = {});
  core::TlsInfo tlsInfo() const;
  bool tls() const { return static_cast<bool>(tls_); }

  // Every following operation must finish within `d`, else it fails with timed_out.
  void setDeadline(std::chrono::steady_clock::duration d);
  void clearDeadline();
  void close();
  Socket& socket() { return socket_; }
  asio::any_io_executor executor() { return socket_.get_executor(); }

 private:
  std::error_code translate(std::error_code ec) const;

  void armTimer(std::chrono::steady_clock::time_point at);

  Socket socket_;
  std::unique_ptr<asio::ssl::stream<Socket&>> tls_;
  std::vector<char> readBuf_;
  // Deadlines move with every operation; re-arming a timer each time costs syscalls, so the
  // timer stays armed and, when it fires early, re-arms itself for the current deadline.
  struct DeadlineState {
    std::chrono::steady_clock::time_point at = std::chrono::steady_clock::time_point::max();
    std::chrono::steady_clock::time_point timerAt{};  // when the armed timer fires
    uint64_t generation = 0;                          // of the latest armTimer()
    bool armed = false;
    bool timedOut = false;
  };
  asio::steady_timer timer_;
  std::shared_ptr<DeadlineState> deadline_ = std::make_shared<DeadlineState>();
};

// Disables Nagle on TCP sockets: request/response protocols stall on it (delayed ACKs).
void setNoDelay(Socket& s);

}  // namespace portcullis::net
