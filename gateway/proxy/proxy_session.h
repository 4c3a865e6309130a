// One client connection of the SMTP proxy: drives the sans-I/O ServerSession with real bytes,
// runs the pipeline at each stage and mirrors the transaction onto the downstream.
#pragma once
#include <memory>

#include "gateway/config/snapshot.h"
#include "gateway/net/stream.h"
#include "gateway/proxy/shared_state.h"
#include "gateway/relay/downstream.h"
#include "gateway/smtp/server_session.h"

namespace portcullis::proxy {

class ProxySession {
 public:
  ProxySession(net::Socket socket, std::shared_ptr<const config::Snapshot> snapshot,
               SharedState& shared);
  ~ProxySession();
  asio::awaitable<void> run();
  // Called on the session's worker during shutdown: an idle session is told 421 and closed.
  void kick();

 private:
  asio::awaitable<bool> flush();
  asio::awaitable<void> onHelo();
  asio::awaitable<void> onMail();
  asio::awaitable<void> onRcpt();
  asio::awaitable<void> onMessage();
  asio::awaitable<void> onStartTls();
  core::CheckContext context(const core::Policy& policy, const core::Address* rcpt = nullptr);
  void logTransaction(const core::Decision& d, const core::Verdict& v, const core::Reply& r);

  std::shared_ptr<const config::Snapshot> snapshot_;
  const config::Config& config_;
  SharedState& shared_;
  net::Stream stream_;
  smtp::ServerSession session_;
  std::unique_ptr<relay::Downstream> downstream_;
  bool idle_ = false;  // waiting for a command between transactions
  bool kicked_ = false;
};

std::unique_ptr<relay::Downstream> makeDownstream(asio::any_io_executor ex,
                                                  const config::Config& config,
                                                  SharedState& shared);
std::string newSessionId();

}  // namespace portcullis::proxy
