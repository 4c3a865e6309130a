#include "gateway/proxy/proxy_session.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <mutex>
#include <set>

#include <asio/experimental/awaitable_operators.hpp>

#include "gateway/auth/auth_results.h"
#include "gateway/core/activity.h"
#include "gateway/core/headers.h"
#include "gateway/core/log.h"
#include "gateway/core/metrics.h"
#include "gateway/core/text.h"
#include "gateway/firewall/settings.h"
#include "gateway/firewall/shared_state.h"
#include "gateway/net/off_loop.h"
#include "gateway/proxy/stage_runner.h"
#include "gateway/quarantine/quarantine_store.h"
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
// A generic socket's endpoint as a TCP one; none for UNIX sockets or on error.
std::optional<asio::ip::tcp::endpoint> tcpEndpoint(const net::Socket::endpoint_type& ep,
                                                   std::error_code ec) {
  if (ec || (ep.protocol().family() != AF_INET && ep.protocol().family() != AF_INET6))
    return std::nullopt;
  asio::ip::tcp::endpoint tcp;
  std::memcpy(tcp.data(), ep.data(), std::min<size_t>(ep.size(), tcp.capacity()));
  return tcp;
}

core::SessionInfo sessionInfo(net::Socket& s) {
  core::SessionInfo info;
  info.id = newSessionId();
  std::error_code ec;
  if (auto remote = tcpEndpoint(s.remote_endpoint(ec), ec)) {
    info.clientIp = core::IpAddress::parse(remote->address().to_string());
    info.clientPort = remote->port();
  }
  if (auto local = tcpEndpoint(s.local_endpoint(ec), ec))
    info.serverIp = core::IpAddress::parse(local->address().to_string());
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
      deadlines_(smtp::DeadlineSettings{config_.idleTimeout, config_.commandTimeout,
                                        config_.dataTimeout, config_.minDataRate}),
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
  if (config_.firewall.tarpitDelay.count() > 0 && !shared_.stopping && tarpitted()) {
    // Tarpit: a suspicious client waits for every reply; a bot's time is its throughput.
    if (!tarpitLogged_) {
      tarpitLogged_ = true;
      const auto& info = session_.info();
      char score[32];
      std::snprintf(score, sizeof score, "%.2f", info.connectVerdict.score());
      core::log::info("session=" + info.id + " client=[" + info.clientAddressText() +
                      "] tarpitted: connect score " + score + ", " +
                      std::to_string(session_.errors()) + " error(s)");
    }
    asio::steady_timer delay(stream_.executor(), config_.firewall.tarpitDelay);
    std::error_code ignored;
    co_await delay.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  stream_.setDeadline(config_.idleTimeout);
  const std::string out = session_.takeOutput();  // named: see smtp_downstream.cc on GCC 12
  auto ec = co_await stream_.write(out);
  stream_.clearDeadline();
  co_return !ec;
}

asio::awaitable<void> ProxySession::run() {
  auto& info = session_.info();
  core::log::debug("connect from [" + info.clientAddressText() +
                   "]:" + std::to_string(info.clientPort) + " session=" + info.id);
  co_await open();

  std::string buf;
  bool running = true;
  while (running) {
    const Event event = session_.next();
    applyViolations();
    switch (event) {
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
        const auto now = std::chrono::steady_clock::now();
        const auto deadline = deadlines_.beforeRead(now, session_.inData(), session_.midCommand(),
                                                    session_.linesTaken());
        std::error_code ec = std::make_error_code(std::errc::timed_out);
        if (deadline.at > now) {
          stream_.setDeadline(deadline.at - now);
          ec = co_await stream_.readSome(buf);
          stream_.clearDeadline();
        }
        idle_ = false;
        if (kicked_ && ec) {
          session_.shutdown();
        } else if (ec == std::errc::timed_out) {
          if (deadline.limit == smtp::RequestDeadlines::Limit::Idle)
            session_.idleTimeout();
          else
            tooSlow(deadline.limit);
        } else if (ec || buf.empty()) {
          session_.eof();
        } else {
          deadlines_.afterRead(std::chrono::steady_clock::now(), buf.size());
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
        running = false;
        break;
    }
  }
  co_await flush();
  if (downstream_) {
    co_await downstream_->reset();
    co_await downstream_->quit();
  }
  stream_.close();
  rememberClient();
  core::log::debug("disconnect session=" + info.id);
}

void ProxySession::tooSlow(smtp::RequestDeadlines::Limit limit) {
  const auto& info = session_.info();
  const std::string what = deadlines_.describe(limit, std::chrono::steady_clock::now());
  core::metrics::Registry::instance()
      .counter("portcullis_slow_clients_total",
               "Sessions closed with 421 4.4.2 for sending too slowly, by the limit missed",
               {{"limit", std::string(smtp::RequestDeadlines::label(limit))}})
      .add();
  core::log::info("session=" + info.id + " client=[" + info.clientAddressText() +
                  "] too slow: " + what + "; 421 and close");
  session_.tooSlow(what);
}

asio::awaitable<void> ProxySession::open() {
  auto& info = session_.info();
  const auto& fw = config_.firewall;
  const auto now = std::chrono::steady_clock::now();
  const checks::AccessEntry* access = snapshot_->clientAccess && info.clientIp
                                          ? snapshot_->clientAccess->find(*info.clientIp)
                                          : nullptr;
  accessAllowed_ = access && access->action == checks::AccessAction::Allow;
  const bool accessDenied = access && access->action != checks::AccessAction::Allow;
  auto refuse = [&](const std::string& symbol, const std::string& why, const std::string& text) {
    core::metrics::Registry::instance()
        .counter("portcullis_connections_refused_total",
                 "Connections refused before the banner, by the test that refused them",
                 {{"test", symbol}})
        .add();
    core::log::info("session=" + info.id + " client=[" + info.clientAddressText() +
                    "] refused at connect by " + symbol + ": " + why);
    info.connectVerdict.add({symbol, fw.score(symbol), why, core::Stage::Connect});
    session_.greet(makeReply(421, "4.7.0", config_.hostname + " " + text));
  };
  if (info.clientIp) {
    auto admission = shared_.limiter.admit(*info.clientIp, accessAllowed_, now);
    if (admission.refused) {
      refuse(admission.refused->symbol, admission.refused->reason, admission.refused->text);
      co_return;
    }
    lease_ = std::move(admission.lease);
  }
  std::optional<firewall::ClientCache::Entry> cached;
  if (info.clientIp && !accessAllowed_) {
    if (snapshot_->sharedStore) {
      std::optional<firewall::ConnectionLimiter::Refusal> refused;
      co_await admitShared(cached, refused);
      if (refused) {
        refuse(refused->symbol, refused->reason, refused->text);
        co_return;
      }
    } else {
      cached = shared_.clientCache.get(info.clientIp->str(), now);
    }
  }
  if (cached && !cached->passed) {
    refuse("FW_CACHED_FAIL", "failed " + cached->reason + " recently",
           "Service unavailable; try again later");
    co_return;
  }
  admitted_ = true;
  cachedPass_ = cached && cached->passed;

  // The greeting delay runs while the connect-stage checks (DNS lists, reverse DNS) do: a
  // legitimate client loses nothing it would not lose waiting for DNS anyway.
  // Software on this machine is not a bot on the network: it gets the banner at once.
  const bool pregreetTest = fw.pregreetDelay.count() > 0 && info.clientIp && !accessAllowed_ &&
                            !accessDenied && !cachedPass_ && !info.sameHost();
  if (pregreetTest) {
    session_.greetPartial();
    if (!co_await flush()) {
      session_.eof();
      session_.greet({});
      co_return;
    }
  }
  const core::Policy& base = *config_.policies.fallback();
  const core::CheckContext ctx = context(base);
  std::string early;
  core::StageOutcome connect;
  if (pregreetTest) {
    using namespace asio::experimental::awaitable_operators;
    std::tie(connect, early) =
        co_await (runStage(*snapshot_->pipeline, core::Stage::Connect, ctx) && waitForPregreet());
  } else {
    connect = co_await runStage(*snapshot_->pipeline, core::Stage::Connect, ctx);
  }
  if (pregreetTest && early.empty() && !stream_.socket().is_open()) {
    // The client hung up during the delay (a bot giving up): neither passed nor failed.
    session_.eof();
    session_.greet({});
    co_return;
  }
  if (pregreetTest && !early.empty()) {
    connect.symbols.push_back({"FW_PREGREET", fw.score("FW_PREGREET"),
                               std::to_string(early.size()) + " bytes before the greeting: \"" +
                                   core::logExcerpt(early, 40) + "\"",
                               core::Stage::Connect});
    if (auto f = firewall::firewallForcedAction(fw.pregreetAction, "FW_PREGREET",
                                                "Protocol error: you talked before my greeting"))
      if (!connect.allowlisted) connect.force(*f);
  } else if (pregreetTest) {
    pregreetPassed_ = true;
  }
  applyConnectOutcome(connect);
  if (!early.empty() && !session_.closed()) session_.receive(early);
}

namespace {
// A failing shared store is logged at most once a minute per process, with a count.
void warnStoreTrouble(const std::string& what) {
  static std::mutex mutex;
  static std::chrono::steady_clock::time_point last{};
  static int suppressed = 0;
  std::lock_guard lock(mutex);
  const auto now = std::chrono::steady_clock::now();
  if (now - last < std::chrono::minutes(1)) {
    ++suppressed;
    return;
  }
  core::log::warn("firewall: shared store failed, admitting" +
                  (suppressed ? " (" + std::to_string(suppressed) + " more failures)" : "") + ": " +
                  what);
  last = now;
  suppressed = 0;
}

int64_t unixNow() {
  return std::time(nullptr);
}
int64_t unixNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

asio::awaitable<void> ProxySession::admitShared(
    std::optional<firewall::ClientCache::Entry>& cached,
    std::optional<firewall::ConnectionLimiter::Refusal>& refused) {
  struct Found {
    std::optional<firewall::ClientCache::Entry> cached;
    std::optional<firewall::ConnectionLimiter::Refusal> refused;
  };
  const core::IpAddress ip = *session_.info().clientIp;
  // A named lambda, not a temporary in the co_await: GCC 12 destroys such temporaries twice.
  auto lookup = [store = snapshot_->sharedStore, ip, limits = config_.firewall.limits]() -> Found {
    Found out;
    try {
      out.refused = firewall::countSharedRate(*store, ip, limits, unixNowMs());
      if (!out.refused) out.cached = firewall::sharedClientGet(*store, ip.str(), unixNow());
    } catch (const std::exception& e) {
      warnStoreTrouble(e.what());
    }
    return out;
  };
  Found f = co_await net::offLoop(shared_.storePool, std::move(lookup));
  cached = std::move(f.cached);
  refused = std::move(f.refused);
}

void ProxySession::rememberShared(bool passed, const std::string& reason,
                                  std::chrono::seconds ttl) {
  asio::post(shared_.storePool, [store = snapshot_->sharedStore,
                                 ip = session_.info().clientIp->str(), passed, reason, ttl] {
    try {
      if (passed)
        firewall::sharedClientPass(*store, ip, ttl, unixNow());
      else
        firewall::sharedClientFail(*store, ip, reason, ttl, unixNow());
    } catch (const std::exception& e) {
      warnStoreTrouble(e.what());
    }
  });
}

asio::awaitable<std::string> ProxySession::waitForPregreet() {
  std::string early;
  stream_.setDeadline(config_.firewall.pregreetDelay);
  auto ec = co_await stream_.readSome(early);
  stream_.clearDeadline();
  if (ec == std::errc::timed_out) co_return std::string();
  if (ec || early.empty()) {
    std::error_code ignored;
    stream_.socket().close(ignored);
    co_return std::string();
  }
  co_return early;
}

void ProxySession::applyConnectOutcome(core::StageOutcome& connect) {
  auto& info = session_.info();
  for (auto& s : connect.symbols) info.connectVerdict.add(s);
  if (connect.clientName) info.clientName = *connect.clientName;
  if (connect.iprev) info.iprev = *connect.iprev;
  info.allowlisted = accessAllowed_ || connect.allowlisted;
  if (info.allowlisted) session_.relaxProtocolTests();
  if (connect.forced) {
    info.connectVerdict.force(*connect.forced);
    core::log::info("session=" + info.id + " client=[" + info.clientAddressText() +
                    "] refused at connect by " + connect.forced->symbol + ": " +
                    connect.forced->reply.summary() +
                    " symbols=" + info.connectVerdict.symbolList());
    if (connect.forced->symbol.starts_with("FW_")) failed(connect.forced->symbol);
  }
  session_.greet(connect.forced ? connect.forced->reply : Reply{});
}

void ProxySession::applyViolations() {
  auto violations = session_.takeViolations();
  if (violations.empty()) return;
  auto& info = session_.info();
  const auto& fw = config_.firewall;
  for (const auto& v : violations) {
    const std::string symbol(smtp::violationSymbol(v.kind));
    firewall::FirewallAction action = firewall::FirewallAction::Drop;  // error limits close
    if (v.kind == smtp::Violation::Kind::Pipelining) action = fw.pipeliningAction;
    if (v.kind == smtp::Violation::Kind::NonSmtp) action = fw.nonSmtpAction;
    if (v.kind == smtp::Violation::Kind::BareNewline) action = fw.bareNewlineAction;
    if (info.allowlisted || v.inData) action = firewall::FirewallAction::Ignore;
    info.connectVerdict.add({symbol, fw.score(symbol), v.detail, core::Stage::Connect});
    core::log::info("session=" + info.id + " client=[" + info.clientAddressText() +
                    "] protocol test " + symbol + " failed (" +
                    std::string(firewall::firewallActionName(action)) + "): " + v.detail);
    if (action == firewall::FirewallAction::Ignore) {
      ignoredFailure_ = ignoredFailure_ || !v.inData;
      continue;
    }
    failed(symbol);
    if (auto f = firewall::firewallForcedAction(action, symbol, "Protocol error"))
      if (f->reply.code != 421 && !session_.refusingTransactions())
        session_.refuseTransactions(f->reply);
  }
}

bool ProxySession::tarpitted() const {
  const auto& info = session_.info();
  const auto& fw = config_.firewall;
  // A refused client is not tarpitted as well: it only gets refusals, and holding its
  // connection open longer would cost us, not it.
  if (info.allowlisted || !info.connectVerdict.forced().empty() || session_.refusingTransactions())
    return false;
  return ignoredFailure_ || (fw.tarpitScore > 0 && info.connectVerdict.score() >= fw.tarpitScore) ||
         (fw.tarpitAfterErrors > 0 && session_.errors() >= fw.tarpitAfterErrors);
}

void ProxySession::failed(const std::string& test) {
  const auto& info = session_.info();
  if (!failedTest_.empty()) return;
  failedTest_ = test;
  // Remembered at once, not when the session ends: the client may reconnect (or hold other
  // connections open) before this one is over.
  if (info.clientIp && !accessAllowed_ && admitted_) {
    if (snapshot_->sharedStore)
      rememberShared(false, test, config_.firewall.failTtl);
    else
      shared_.clientCache.fail(info.clientIp->str(), test, config_.firewall.failTtl,
                               std::chrono::steady_clock::now());
    if (snapshot_->reputation && !snapshot_->reputation->learnRefusal(info, test).empty())
      core::log::debug("session=" + info.id + " learned=rejected from " + test);
  }
}

void ProxySession::rememberClient() {
  const auto& info = session_.info();
  const auto& fw = config_.firewall;
  if (!info.clientIp || accessAllowed_ || !admitted_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!failedTest_.empty()) return;  // remembered when it failed
  // A pass needs the greeting test passed (or passed before) and no other test failed, even
  // one whose action is "ignore".
  static const std::set<std::string, std::less<>> failures = {
      "FW_PREGREET",     "FW_DNSBL",           "FW_PIPELINING",      "FW_NON_SMTP",
      "FW_BARE_NEWLINE", "FW_TOO_MANY_ERRORS", "FW_UNKNOWN_COMMANDS"};
  for (const auto& s : info.connectVerdict.symbols())
    if (failures.contains(s.name)) return;
  if (!pregreetPassed_ && !cachedPass_) return;
  if (snapshot_->sharedStore)
    rememberShared(true, "", fw.passTtl);
  else
    shared_.clientCache.pass(info.clientIp->str(), fw.passTtl, now);
}

asio::awaitable<bool> ProxySession::greylisted(core::Verdict& verdict, core::Decision& d,
                                               core::Reply& r) {
  const auto& gl = config_.greylist;
  const auto& info = session_.info();
  auto* tx = session_.transaction();
  if (!gl.enabled || !info.clientIp || info.allowlisted) co_return false;
  if (d.action != core::Action::Accept && d.action != core::Action::AddHeaders) co_return false;
  // Authenticated-good senders skip it: a DMARC pass means the From domain vouches for the
  // message, and greylisting it would only delay wanted mail.
  if (tx->facts.contains("dmarc.pass")) co_return false;
  std::vector<std::string> rcpts;
  for (const auto& rc : tx->recipients) rcpts.push_back(rc.address.str());
  const std::string sender = tx->mailFrom.null ? "" : tx->mailFrom.str();
  const auto now = std::chrono::system_clock::now();
  firewall::Greylist::Outcome g;
  if (snapshot_->sharedStore) {
    auto check = [store = snapshot_->sharedStore, gl, ip = *info.clientIp, sender, rcpts, now] {
      try {
        return firewall::Greylist::checkShared(*store, gl, ip, sender, rcpts, now);
      } catch (const std::exception& e) {
        warnStoreTrouble(e.what());  // a store that fails greylists nobody
        return firewall::Greylist::Outcome{firewall::Greylist::Result::Pass, {}, "store failed"};
      }
    };
    g = co_await net::offLoop(shared_.storePool, std::move(check));
  } else {
    g = shared_.greylist.check(gl, *info.clientIp, sender, rcpts, now);
  }
  if (g.result != firewall::Greylist::Result::Greylisted) {
    core::log::debug("session=" + info.id + " tx=" + tx->id + " greylist pass: " + g.reason);
    co_return false;
  }
  verdict.add({"GREYLIST", gl.score, g.reason, core::Stage::Data});
  d.action = core::Action::Tempfail;
  d.decidedBy = "GREYLIST";
  r = makeReply(451, "4.7.1",
                "Greylisted, please try again in " + std::to_string(g.retryAfter.count()) +
                    " seconds (ref " + tx->id + ")");
  co_return true;
}

asio::awaitable<void> ProxySession::onHelo() {
  const core::Policy& base = *config_.policies.fallback();
  auto outcome = co_await runStage(*snapshot_->pipeline, core::Stage::Helo, context(base));
  auto& info = session_.info();
  for (auto& s : outcome.symbols) info.connectVerdict.add(s);
  if (outcome.forced)
    core::log::info("session=" + info.id + " client=[" + info.clientAddressText() + "] HELO " +
                    info.helo + " refused by " + outcome.forced->symbol + ": " +
                    outcome.forced->reply.summary());
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
  const core::CheckContext ctx = context(policy);
  auto [outcome, verdict] = co_await judgeMessage(*snapshot_->pipeline, ctx, *tx);
  // RFC 8601 5: Authentication-Results fields that claim to be ours are forgeries; drop them
  // before the message goes on, whatever the checks decided.
  const int forged = auth::removeClaimedAuthResults(tx->message, config_.auth.authservId);
  if (forged)
    core::log::info("session=" + session_.info().id + " tx=" + tx->id + " removed " +
                    std::to_string(forged) +
                    " Authentication-Results field(s) claiming our authserv-id or misnamed");
  core::Decision d = verdict.decide(policy.thresholds);

  Reply r;
  const bool greylist = co_await greylisted(verdict, d, r);
  if (greylist) co_await downstream_->reset();
  switch (greylist ? core::Action::Tempfail : d.action) {
    case core::Action::Reject:
    case core::Action::Tempfail:
      if (greylist) break;
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
    case core::Action::Quarantine: {
      co_await downstream_->reset();
      std::string prepend = addedHeaders(verdict, d, policy, outcome.headers);
      r = co_await holdInQuarantine(verdict, d, std::move(prepend));
      break;
    }
    case core::Action::Accept:
    case core::Action::AddHeaders: {
      const std::string prepend = addedHeaders(verdict, d, policy, outcome.headers);
      r = co_await downstream_->data(*tx, prepend);
      core::metrics::Registry::instance()
          .counter("portcullis_downstream_replies_total",
                   "Downstream replies to accepted messages' DATA, by class",
                   {{"class", std::to_string(r.code / 100) + "xx"}})
          .add();
      break;
    }
  }
  // Learn from what the verdict was; an accepted message only once the downstream took it.
  std::string learned;
  if (snapshot_->reputation && !greylist &&
      (r.positive() || d.action == core::Action::Reject || d.action == core::Action::Discard))
    learned = snapshot_->reputation->learn(session_.info(), *tx, verdict, d, policy.thresholds);
  logTransaction(d, verdict, r, learned);
  session_.answer(r);
}

// What goes before the message, whether it is relayed or held: our Received field, the
// checks' fields (Authentication-Results) and the verdict's X-Spam-* fields.
std::string ProxySession::addedHeaders(const core::Verdict& verdict, const core::Decision& d,
                                       const core::Policy& policy,
                                       const std::vector<core::HeaderField>& fromChecks) {
  std::string prepend = core::receivedHeader(session_.info(), *session_.transaction(),
                                             config_.hostname, std::chrono::system_clock::now());
  for (const auto& h : fromChecks) prepend += core::formatHeader(h);
  for (const auto& h : core::verdictHeaders(verdict, d, policy.thresholds))
    prepend += core::formatHeader(h);
  return prepend;
}

// Held in the quarantine as it would have gone downstream (the same header fields prepended),
// durably, before the sender hears 250; a store that cannot take it makes a 451, so the
// sender keeps the message.
asio::awaitable<Reply> ProxySession::holdInQuarantine(const core::Verdict& verdict,
                                                      const core::Decision& d,
                                                      std::string prepend) {
  const auto* tx = session_.transaction();
  const auto& info = session_.info();
  quarantine::Entry meta;
  meta.id = tx->id;
  meta.mailFrom = tx->mailFrom.str();
  for (const auto& rc : tx->recipients) meta.recipients.push_back(rc.address.str());
  meta.body8bit = tx->body8bit;
  meta.smtputf8 = tx->smtputf8;
  meta.client = info.clientAddressText();
  meta.helo = info.helo;
  meta.score = verdict.score();
  meta.decidedBy = d.decidedBy;
  meta.symbols = verdict.symbolList();
  auto hold = [store = quarantine::QuarantineStore(config_.quarantineDir), meta = std::move(meta),
               prepend = std::move(prepend), tx]() -> std::string {
    try {
      return store.hold(meta, prepend, tx->message);
    } catch (const std::exception& e) {
      core::log::error(std::string("quarantine: ") + e.what());
      return "";
    }
  };
  const std::string id = co_await net::offLoop(shared_.filePool, std::move(hold));
  if (id.empty()) co_return makeReply(451, "4.3.0", "Message could not be stored; try again later");
  core::metrics::Registry::instance()
      .counter("portcullis_quarantined_total", "Messages held in the quarantine")
      .add();
  co_return makeReply(250, "2.0.0", "Ok: queued as " + id);
}

void ProxySession::logTransaction(const core::Decision& d, const core::Verdict& v, const Reply& r,
                                  const std::string& learned) {
  const auto* tx = session_.transaction();
  const auto& info = session_.info();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  tx->started)
                .count();
  char score[32];
  std::snprintf(score, sizeof score, "%.2f", v.score());
  std::vector<core::log::Field> fields = {
      {"session", info.id},
      {"tx", tx->id},
      {"client", "[" + info.clientAddressText() + "]:" + std::to_string(info.clientPort)},
      {"helo", info.helo},
      {"tls", info.tls.active ? info.tls.version : "no"},
      {"from", "<" + tx->mailFrom.str() + ">"},
      {"to", addressList(*tx)},
      {"size", std::to_string(tx->message.size())},
      {"action", std::string(core::actionName(d.action))},
      {"decided_by", d.decidedBy},
      {"score", score},
      {"symbols", v.symbols().empty() ? "-" : v.symbolList()},
      {"reply", r.summary(), true},
      {"time", std::to_string(ms) + "ms", false, "elapsed"}};
  if (!learned.empty()) fields.push_back({"learned", learned});
  core::log::event(core::log::Level::Info, "transaction", fields);
  core::metrics::countTransaction("smtp", d.action, v);
  core::activity::recordTransaction("smtp", info, *tx, d.action, v, r.summary());
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
