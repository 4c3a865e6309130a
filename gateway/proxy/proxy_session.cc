#include "gateway/proxy/proxy_session.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "gateway/auth/auth_results.h"
#include "gateway/core/headers.h"
#include "gateway/core/log.h"
#include "gateway/proxy/stage_runner.h"
#include "gateway/relay/maildir_downstream.h"
#include "gateway/relay/smtp_downstream.h"

namespace portcullis::proxy {

using core::makeReply;
using core::Reply;
using Event = smtp::ServerSession::Event;

std::string newSessionId() {
  static const auto base = static_cast<unsigned long long>(time(nullptr));
  static std::atomic<unsigned long long> counter{0};
  char id[40];
  std::snprintf(id, sizeof id, "%llX%05llX", base, ++counter);
  return id;
}

std::unique_ptr<relay::Downstream> makeDownstream(asio::any_io_executor ex, const config::Config& c,
                                                  SharedState& shared) {
  if (c.downstream.kind == relay::DownstreamUrl::Kind::Maildir)
    return std::make_unique<relay::MaildirDownstream>(ex, shared.filePool, c.downstream.path,
                                                      c.hostname);
  return std::make_unique<relay::SmtpDownstream>(ex, c.downstream, c.relay, shared.clientTls,
                                                 c.hostname);
}

namespace {
core::SessionInfo sessionInfo(net::Socket& s) {
  core::SessionInfo info;
  info.id = newSessionId();
  std::error_code ec;
  auto ep = s.remote_endpoint(ec);
  if (!ec && (ep.protocol().family() == AF_INET || ep.protocol().family() == AF_INET6)) {
    asio::ip::tcp::endpoint tcp;
    std::memcpy(tcp.data(), ep.data(), std::min<size_t>(ep.size(), tcp.capacity()));
    info.clientIp = core::IpAddress::parse(tcp.address().to_string());
    info.clientPort = tcp.port();
  }
  return info;
}

std::string addressList(const core::Transaction& tx) {
  std::string out;
  for (const auto& r : tx.recipients) out += (out.empty() ? "<" : ",<") + r.address.str() + ">";
  return out;
}
}  // namespace

ProxySession::ProxySession(net::Socket socket, std::shared_ptr<const config::Snapshot> snapshot,
                           SharedState& shared)
    : snapshot_(std::move(snapshot)),
      config_(*snapshot_->config),
      shared_(shared),
      stream_(std::move(socket)),
      session_(
          [&] {
            smtp::SessionSettings s = config_.smtp;
            s.offerStartTls = s.offerStartTls && shared.serverTls;
            return s;
          }(),
          sessionInfo(stream_.socket())) {
  ++shared_.activeSessions;
}

ProxySession::~ProxySession() {
  --shared_.activeSessions;
}

void ProxySession::kick() {
  kicked_ = true;
  if (idle_) stream_.socket().cancel();
}

core::CheckContext ProxySession::context(const core::Policy& policy, const core::Address* rcpt) {
  return core::CheckContext{
      session_.info(), session_.transaction(), rcpt, policy,
      [ex = stream_.executor()](std::function<void()> f) { asio::post(ex, std::move(f)); }};
}

asio::awaitable<bool> ProxySession::flush() {
  if (!session_.hasOutput()) co_return true;
  stream_.setDeadline(config_.idleTimeout);
  const std::string out = session_.takeOutput();  // named: see smtp_downstream.cc on GCC 12
  auto ec = co_await stream_.write(out);
  stream_.clearDeadline();
  co_return !ec;
}

asio::awaitable<void> ProxySession::run() {
  const core::Policy& base = *config_.policies.fallback();
  auto& info = session_.info();
  core::log::debug("connect from [" + info.clientAddressText() +
                   "]:" + std::to_string(info.clientPort) + " session=" + info.id);
  auto connect = co_await runStage(*snapshot_->pipeline, core::Stage::Connect, context(base));
  for (auto& s : connect.symbols) info.connectVerdict.add(s);
  if (connect.forced) {
    info.connectVerdict.force(*connect.forced);
    core::log::info("session=" + info.id + " client=[" + info.clientAddressText() +
                    "] refused at connect by " + connect.forced->symbol + ": " +
                    connect.forced->reply.summary());
  }
  session_.greet(connect.forced ? connect.forced->reply : Reply{});

  std::string buf;
  bool open = true;
  while (open) {
    switch (session_.next()) {
      case Event::NeedInput: {
        if (!co_await flush()) {
          session_.eof();
          break;
        }
        if ((shared_.stopping || kicked_) && !session_.transaction()) {
          session_.shutdown();
          break;
        }
        idle_ = !session_.transaction();
        buf.clear();
        stream_.setDeadline(config_.idleTimeout);
        auto ec = co_await stream_.readSome(buf);
        stream_.clearDeadline();
        idle_ = false;
        if (kicked_ && ec) {
          session_.shutdown();
        } else if (ec == std::errc::timed_out) {
          session_.idleTimeout();
        } else if (ec || buf.empty()) {
          session_.eof();
        } else {
          session_.receive(buf);
        }
        break;
      }
      case Event::Helo:
        co_await onHelo();
        break;
      case Event::Mail:
        co_await onMail();
        break;
      case Event::Rcpt:
        co_await onRcpt();
        break;
      case Event::DataBegin:
        session_.answer({});
        break;
      case Event::Message:
        co_await onMessage();
        break;
      case Event::StartTls:
        co_await onStartTls();
        break;
      case Event::Reset:
        if (downstream_) co_await downstream_->reset();
        break;
      case Event::Close:
        open = false;
        break;
    }
  }
  co_await flush();
  if (downstream_) {
    co_await downstream_->reset();
    co_await downstream_->quit();
  }
  stream_.close();
  core::log::debug("disconnect session=" + info.id);
}

asio::awaitable<void> ProxySession::onHelo() {
  const core::Policy& base = *config_.policies.fallback();
  auto outcome = co_await runStage(*snapshot_->pipeline, core::Stage::Helo, context(base));
  for (auto& s : outcome.symbols) session_.info().connectVerdict.add(s);
  session_.answer(outcome.forced ? outcome.forced->reply : Reply{});
}

asio::awaitable<void> ProxySession::onMail() {
  if (!downstream_) downstream_ = makeDownstream(stream_.executor(), config_, shared_);
  const core::Policy& base = *config_.policies.fallback();
  auto outcome = co_await runStage(*snapshot_->pipeline, core::Stage::Mail, context(base));
  auto* tx = session_.transaction();
  for (auto& s : outcome.symbols) tx->verdict.add(s);
  if (outcome.forced) {
    session_.answer(outcome.forced->reply);
    co_return;
  }
  Reply r = co_await downstream_->mail(session_.info(), *tx);
  session_.answer(r);
}

asio::awaitable<void> ProxySession::onRcpt() {
  auto* tx = session_.transaction();
  const core::Address& rcpt = session_.pendingRecipient();
  auto policy = config_.policies.forDomain(rcpt.domainLower());
  auto refuse = [&](const Reply& r) {
    core::log::info("session=" + session_.info().id + " reject RCPT <" + rcpt.str() + "> from <" +
                    tx->mailFrom.str() + "> client=[" + session_.info().clientAddressText() +
                    "] helo=" + session_.info().helo + ": " + r.summary());
    session_.answer(r);
  };
  if (tx->policy && policy != tx->policy) {
    // One policy per transaction: the sender retries this recipient in a transaction of its own.
    session_.answer(
        makeReply(452, "4.5.3",
                  "Recipient policy differs; try this recipient again in a separate transaction"));
    co_return;
  }
  if (tx->recipients.size() >= downstream_->maxRecipients()) {
    session_.answer(makeReply(452, "4.5.3", "Too many recipients for this transaction; try again"));
    co_return;
  }
  auto outcome =
      co_await runStage(*snapshot_->pipeline, core::Stage::Rcpt, context(*policy, &rcpt));
  if (outcome.forced) {
    refuse(outcome.forced->reply);
    co_return;
  }
  Reply r = co_await downstream_->rcpt(rcpt);
  if (r.positive()) {
    if (!tx->policy) tx->policy = policy;
    for (auto& s : outcome.symbols) tx->verdict.add(s);
    session_.answer(r);
  } else {
    refuse(r);
  }
}

asio::awaitable<void> ProxySession::onMessage() {
  auto* tx = session_.transaction();
  const core::Policy& policy = tx->policy ? *tx->policy : *config_.policies.fallback();
  auto outcome = co_await runStage(*snapshot_->pipeline, core::Stage::Data, context(policy));
  for (auto& s : outcome.symbols) tx->verdict.add(s);
  core::Verdict verdict = session_.info().connectVerdict;
  // RFC 8601 5: Authentication-Results fields that claim to be ours are forgeries; drop them
  // before the message goes on, whatever the checks decided.
  const int forged = auth::removeClaimedAuthResults(tx->message, config_.auth.authservId);
  if (forged)
    core::log::info("session=" + session_.info().id + " tx=" + tx->id + " removed " +
                    std::to_string(forged) +
                    " Authentication-Results field(s) claiming our authserv-id");
  verdict.merge(tx->verdict);
  if (outcome.forced) verdict.force(*outcome.forced);
  core::Decision d = verdict.decide(policy.thresholds);

  Reply r;
  switch (d.action) {
    case core::Action::Reject:
    case core::Action::Tempfail:
      co_await downstream_->reset();
      // A generic text plus a reference the admin finds in the log (tx=...); symbol names are
      // never shown to the sender.
      r = d.reply;
      r.text += " (ref " + tx->id + ")";
      break;
    case core::Action::Discard:
      co_await downstream_->reset();
      r = makeReply(250, "2.0.0", "Ok");
      break;
    case core::Action::Quarantine:
      // No quarantine store yet: hold the message back with a temporary failure rather than
      // deliver or drop it; the sender keeps it queued.
      co_await downstream_->reset();
      core::log::error("session=" + session_.info().id +
                       " quarantine requested but no quarantine store is configured");
      r = makeReply(451, "4.3.0", "Message held for review; try again later");
      break;
    case core::Action::Accept:
    case core::Action::AddHeaders: {
      std::string prepend = core::receivedHeader(session_.info(), *tx, config_.hostname,
                                                 std::chrono::system_clock::now());
      for (const auto& h : outcome.headers) prepend += core::formatHeader(h);
      for (const auto& h : core::verdictHeaders(verdict, d, policy.thresholds))
        prepend += core::formatHeader(h);
      r = co_await downstream_->data(*tx, prepend);
      break;
    }
  }
  logTransaction(d, verdict, r);
  session_.answer(r);
}

void ProxySession::logTransaction(const core::Decision& d, const core::Verdict& v, const Reply& r) {
  const auto* tx = session_.transaction();
  const auto& info = session_.info();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  tx->started)
                .count();
  char score[32];
  std::snprintf(score, sizeof score, "%.2f", v.score());
  core::log::info(
      "session=" + info.id + " tx=" + tx->id + " client=[" + info.clientAddressText() +
      "]:" + std::to_string(info.clientPort) + " helo=" + info.helo +
      " tls=" + (info.tls.active ? info.tls.version : "no") + " from=<" + tx->mailFrom.str() +
      "> to=" + addressList(*tx) + " size=" + std::to_string(tx->message.size()) +
      " action=" + std::string(core::actionName(d.action)) + " decided_by=" + d.decidedBy +
      " score=" + score + " symbols=" + (v.symbols().empty() ? "-" : v.symbolList()) + " reply=\"" +
      r.summary() + "\" time=" + std::to_string(ms) + "ms");
}

asio::awaitable<void> ProxySession::onStartTls() {
  if (!co_await flush()) {
    session_.eof();
    co_return;
  }
  stream_.setDeadline(config_.idleTimeout);
  auto ec = co_await stream_.handshake(*shared_.serverTls, asio::ssl::stream_base::server);
  stream_.clearDeadline();
  if (ec) {
    core::log::info("session=" + session_.info().id + " client=[" +
                    session_.info().clientAddressText() +
                    "] TLS handshake failed: " + ec.message());
    session_.eof();
    stream_.close();
    co_return;
  }
  session_.tlsStarted(stream_.tlsInfo());
}

}  // namespace portcullis::proxy
