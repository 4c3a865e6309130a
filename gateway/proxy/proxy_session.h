// One client connection of the SMTP proxy: drives the sans-I/O ServerSession with real bytes,
// runs the pipeline at each stage and mirrors the transaction onto the downstream.
#pragma once
#include <memory>

#include "gateway/config/snapshot.h"
#include "gateway/core/headers.h"
#include "gateway/firewall/connection_limiter.h"
#include "gateway/net/stream.h"
#include "gateway/proxy/shared_state.h"
#include "gateway/relay/downstream.h"
#include "gateway/smtp/request_deadlines.h"
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
  // Before the banner: admission (limits, the client cache), the greeting delay with the
  // connect-stage checks running meanwhile, then the banner or the refusal.
  asio::awaitable<void> open();
  asio::awaitable<std::string> waitForPregreet();
  void applyConnectOutcome(core::StageOutcome& outcome);
  void applyViolations();
  // A missed deadline: counted, logged, and 421 4.4.2 naming it.
  void tooSlow(smtp::RequestDeadlines::Limit limit);
  bool tarpitted() const;
  void failed(const std::string& test);
  void rememberClient();
  asio::awaitable<bool> greylisted(core::Verdict& verdict, core::Decision& d, core::Reply& r);
  // Counts this connection's rates and reads what is remembered about the client from the
  // shared store; a store failure admits (logged).
  asio::awaitable<void> admitShared(std::optional<firewall::ClientCache::Entry>& cached,
                                    std::optional<firewall::ConnectionLimiter::Refusal>& refused);
  // Writes to the shared store without waiting for it.
  void rememberShared(bool passed, const std::string& reason, std::chrono::seconds ttl);
  asio::awaitable<void> onHelo();
  asio::awaitable<void> onMail();
  asio::awaitable<void> onRcpt();
  asio::awaitable<void> onMessage();
  std::string addedHeaders(const core::Verdict& verdict, const core::Decision& d,
                           const core::Policy& policy,
                           const std::vector<core::HeaderField>& fromChecks);
  asio::awaitable<core::Reply> holdInQuarantine(const core::Verdict& verdict,
                                                const core::Decision& d, std::string prepend);
  asio::awaitable<void> onStartTls();
  core::CheckContext context(const core::Policy& policy, const core::Address* rcpt = nullptr);
  void logTransaction(const core::Decision& d, const core::Verdict& v, const core::Reply& r,
                      const std::string& learned = "");

  std::shared_ptr<const config::Snapshot> snapshot_;
  const config::Config& config_;
  SharedState& shared_;
  net::Stream stream_;
  smtp::RequestDeadlines deadlines_;
  smtp::ServerSession session_;
  std::unique_ptr<relay::Downstream> downstream_;
  bool idle_ = false;  // waiting for a command between transactions
  bool kicked_ = false;
  firewall::ConnectionLimiter::Lease lease_;
  bool accessAllowed_ = false;   // allowlisted by the client access list
  bool pregreetPassed_ = false;  // the greeting delay ran and the client waited
  bool cachedPass_ = false;      // skipped the tests: passed them recently
  bool admitted_ = false;        // not refused by limits or the fail cache
  std::string failedTest_;       // the firewall test that refused this client, for the cache
  bool ignoredFailure_ = false;  // failed a test whose action is "ignore": suspicious
  bool tarpitLogged_ = false;
};

std::unique_ptr<relay::Downstream> makeDownstream(asio::any_io_executor ex,
                                                  const config::Config& config,
                                                  SharedState& shared);
std::string newSessionId();

}  // namespace portcullis::proxy
