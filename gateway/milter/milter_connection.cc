#include "gateway/milter/milter_connection.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdio>
#include <optional>

#include "gateway/auth/auth_results.h"
#include "gateway/core/headers.h"
#include "gateway/core/activity.h"
#include "gateway/core/log.h"
#include "gateway/core/metrics.h"
#include "gateway/proxy/stage_runner.h"

namespace portcullis::milter {

namespace {
bool isTcp(net::Socket& s) {
  std::error_code ec;
  const auto family = s.local_endpoint(ec).protocol().family();
  return !ec && (family == AF_INET || family == AF_INET6);
}
}  // namespace

MilterConnection::MilterConnection(net::Socket socket,
                                   std::shared_ptr<const config::Snapshot> snapshot, std::string id)
    : stream_(std::move(socket)),
      snapshot_(std::move(snapshot)),
      config_(*snapshot_->config),
      tcp_(isTcp(stream_.socket())),
      session_(std::move(id), MilterSettings{config_.auth.authservId,
                                             static_cast<size_t>(config_.smtp.maxMessageSize)}) {}

core::CheckContext MilterConnection::context(const core::Policy& policy,
                                             const core::Address* rcpt) {
  return core::CheckContext{
      session_.info(), session_.transaction(), rcpt, policy,
      [ex = stream_.executor()](std::function<void()> f) { asio::post(ex, std::move(f)); }};
}

asio::awaitable<bool> MilterConnection::write(const std::string& bytes) {
  if (bytes.empty()) co_return true;
  stream_.setDeadline(config_.milter.timeout);
  auto ec = co_await stream_.write(bytes);
  stream_.clearDeadline();
  quickAck();  // sending a reply puts Linux back into delayed-ACK mode
  co_return !ec;
}

void MilterConnection::quickAck() {
  // The MTA sends header and body packets back to back without waiting for replies (we ask
  // for none). Its Nagle algorithm then holds each small packet until the previous one is
  // acknowledged, and our delayed ACK waits up to 40 ms for a reply that never comes: ACK at
  // once. Linux clears TCP_QUICKACK after use, so it is set again after every read and write.
  if (!tcp_) return;
  int one = 1;
  ::setsockopt(stream_.socket().native_handle(), IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
}

asio::awaitable<void> MilterConnection::run() {
  const std::string& id = session_.info().id;
  core::log::debug("milter connection session=" + id);
  PacketReader reader(config_.milter.maxPacket);
  std::string buf;
  // The timeout is per packet, from its first byte, not per read: a peer trickling a byte at a
  // time would otherwise hold the connection for ever with a packet that never ends.
  std::optional<std::chrono::steady_clock::time_point> packetStart;
  while (true) {
    auto packet = reader.next();
    if (!packet) {
      if (!reader.error().empty()) {
        core::log::warn("milter session=" + id + ": " + reader.error() + "; closing");
        break;
      }
      buf.clear();
      const auto now = std::chrono::steady_clock::now();
      if (reader.buffered() == 0)
        packetStart.reset();
      else if (!packetStart)
        packetStart = now;
      const auto deadline =
          packetStart ? *packetStart + config_.milter.timeout : now + config_.milter.timeout;
      std::error_code ec = std::make_error_code(std::errc::timed_out);
      if (deadline > now) {
        stream_.setDeadline(deadline - now);
        ec = co_await stream_.readSome(buf);
        stream_.clearDeadline();
      }
      if (ec == std::errc::timed_out) {
        core::log::warn(
            "milter session=" + id + ": " +
            (packetStart ? "packet not complete within " : "nothing from the MTA for ") +
            std::to_string(config_.milter.timeout.count() / 1000) + " s; closing");
        break;
      }
      if (ec || buf.empty()) break;
      quickAck();
      reader.feed(buf);
      continue;
    }
    packetStart.reset();  // the next packet's clock starts with its first byte
    auto decoded = decodeCommand(*packet);
    if (auto* error = std::get_if<std::string>(&decoded)) {
      core::log::warn("milter session=" + id + ": malformed packet: " + *error + "; closing");
      break;
    }
    auto step = session_.handle(std::move(std::get<Command>(decoded)));
    using Kind = MilterSession::Step::Kind;
    bool ok = true;
    switch (step.kind) {
      case Kind::Nothing:
        break;
      case Kind::Reply:
        ok = co_await write(step.bytes);
        break;
      case Kind::Close:
        if (!step.error.empty())
          core::log::warn("milter session=" + id + ": " + step.error + "; closing");
        co_await write(step.bytes);
        ok = false;
        break;
      case Kind::RunStage: {
        const core::Policy* policy = config_.policies.fallback().get();
        std::shared_ptr<const core::Policy> rcptPolicy;
        const core::Address* rcpt = nullptr;
        if (step.stage == core::Stage::Rcpt && session_.transaction() &&
            !session_.transaction()->recipients.empty()) {
          rcpt = &session_.transaction()->recipients.back().address;
          rcptPolicy = config_.policies.forDomain(rcpt->domainLower());
          policy = rcptPolicy.get();
        }
        auto outcome =
            co_await proxy::runStage(*snapshot_->pipeline, step.stage, context(*policy, rcpt));
        // The first accepted recipient picks the message's policy, as in the proxy.
        const std::string reply = session_.stageDone(outcome);
        if (rcptPolicy && !outcome.forced && session_.transaction() &&
            !session_.transaction()->policy)
          session_.transaction()->policy = rcptPolicy;
        if (outcome.forced &&
            (step.stage == core::Stage::Connect || step.stage == core::Stage::Helo))
          core::log::info("milter session=" + id + " client=[" +
                          session_.info().clientAddressText() + "] refused at " +
                          std::string(core::stageName(step.stage)) + " by " +
                          outcome.forced->symbol + ": " + outcome.forced->reply.summary());
        ok = co_await write(reply);
        break;
      }
      case Kind::EndOfMessage:
        ok = co_await write(co_await endOfMessage());
        break;
    }
    if (!ok) break;
  }
  stream_.close();
  core::log::debug("milter disconnect session=" + id);
}

asio::awaitable<std::string> MilterConnection::endOfMessage() {
  auto* tx = session_.transaction();
  const core::Policy& policy = tx->policy ? *tx->policy : *config_.policies.fallback();
  const core::CheckContext ctx = context(policy);
  auto [outcome, verdict] = co_await proxy::judgeMessage(*snapshot_->pipeline, ctx, *tx);
  if (session_.oversize())
    verdict.force({core::Action::Reject, core::makeReply(552, "5.3.4", "Message too big"),
                   "MESSAGE_TOO_BIG"});
  core::Decision d = verdict.decide(policy.thresholds);

  // Our Authentication-Results and the verdict headers; the MTA writes its own Received.
  std::vector<core::HeaderField> add(outcome.headers.begin(), outcome.headers.end());
  for (auto& h : core::verdictHeaders(verdict, d, policy.thresholds)) add.push_back(h);
  std::string learned;
  if (snapshot_->reputation &&
      (d.action == core::Action::Accept || d.action == core::Action::AddHeaders ||
       d.action == core::Action::Reject || d.action == core::Action::Discard))
    learned = snapshot_->reputation->learn(session_.info(), *tx, verdict, d, policy.thresholds);
  std::string reply = d.reply.empty() ? "continue" : d.reply.summary();
  logTransaction(d, verdict, reply, learned);
  co_return session_.finish(d, add);
}

void MilterConnection::logTransaction(const core::Decision& d, const core::Verdict& v,
                                      const std::string& reply, const std::string& learned) {
  const auto* tx = session_.transaction();
  const auto& info = session_.info();
  std::string to;
  for (const auto& r : tx->recipients) to += (to.empty() ? "<" : ",<") + r.address.str() + ">";
  char score[32];
  std::snprintf(score, sizeof score, "%.2f", v.score());
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - tx->started)
                      .count();
  std::vector<core::log::Field> fields = {
      {"session", info.id},
      {"tx", tx->id},
      {"queue_id", session_.macro("i").value_or("-")},
      {"client", "[" + info.clientAddressText() + "]:" + std::to_string(info.clientPort)},
      {"helo", info.helo},
      {"from", "<" + tx->mailFrom.str() + ">"},
      {"to", to.empty() ? "-" : to},
      {"size", std::to_string(tx->message.size())},
      {"action", std::string(core::actionName(d.action))},
      {"decided_by", d.decidedBy},
      {"score", score},
      {"symbols", v.symbols().empty() ? "-" : v.symbolList()},
      {"reply", reply, true},
      {"time", std::to_string(ms) + "ms", false, "elapsed"}};
  if (!learned.empty()) fields.push_back({"learned", learned});
  core::log::event(core::log::Level::Info, "transaction", fields, "milter");
  core::metrics::countTransaction("milter", d.action, v);
  core::activity::recordTransaction("milter", info, *tx, d.action, v, reply);
}

}  // namespace portcullis::milter
