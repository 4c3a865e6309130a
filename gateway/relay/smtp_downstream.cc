#include "gateway/relay/smtp_downstream.h"

#include <algorithm>
#include <cctype>

#include "gateway/core/log.h"
#include "gateway/relay/dot_stuffing.h"

namespace portcullis::relay {

// Every co_await argument that builds a string is a named local first: GCC 12 miscompiles
// temporaries made by conditional expressions inside co_await (freed twice; ASan found two).

using core::makeReply;
using core::Reply;

std::string xtext(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (c < 33 || c > 126 || c == '+' || c == '=') {
      out += '+';
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

SmtpDownstream::SmtpDownstream(asio::any_io_executor ex, DownstreamUrl url, RelaySettings settings,
                               std::shared_ptr<asio::ssl::context> tls, std::string hostname)
    : ex_(std::move(ex)),
      url_(std::move(url)),
      settings_(std::move(settings)),
      tlsContext_(std::move(tls)),
      hostname_(std::move(hostname)) {}

SmtpDownstream::~SmtpDownstream() {
  if (stream_) stream_->close();
}

Reply SmtpDownstream::fail(std::string what) {
  core::log::warn("downstream " + url_.str() + ": " + what);
  if (stream_) stream_->close();
  stream_.reset();
  inTransaction_ = false;
  return makeReply(451, "4.4.2", "Downstream " + what + "; try again later");
}

// The client must never be told "421" by us on the downstream's behalf (it means *we* close),
// and a downstream protocol error is our temporary failure.
Reply SmtpDownstream::relayable(Reply r) const {
  if (r.code == 421) {
    r.code = 451;
    if (!r.enhanced.empty()) r.enhanced[0] = '4';
  }
  return r;
}

asio::awaitable<Reply> SmtpDownstream::readReply(std::chrono::milliseconds timeout) {
  while (true) {
    if (auto r = parser_.next()) {
      if (r->code < 0) co_return fail("protocol error (" + r->text + ")");
      co_return *r;
    }
    readBuf_.clear();
    stream_->setDeadline(timeout);
    auto ec = co_await stream_->readSome(readBuf_);
    stream_->clearDeadline();
    if (ec) co_return fail(ec == std::errc::timed_out ? "timed out" : "read error: " + ec.message());
    if (readBuf_.empty()) co_return fail("closed the connection");
    parser_.feed(readBuf_);
  }
}

asio::awaitable<Reply> SmtpDownstream::command(const std::string& line,
                                               std::optional<std::chrono::milliseconds> timeout) {
  if (!stream_) co_return fail("not connected");
  stream_->setDeadline(timeout.value_or(settings_.commandTimeout));
  const std::string wire = line + "\r\n";
  auto ec = co_await stream_->write(wire);
  stream_->clearDeadline();
  if (ec) co_return fail("write error: " + ec.message());
  co_return co_await readReply(timeout.value_or(settings_.commandTimeout));
}

asio::awaitable<Reply> SmtpDownstream::hello(const std::string& as) {
  const std::string name = !as.empty() ? as : settings_.heloName.empty() ? hostname_ : settings_.heloName;
  const std::string line = (lmtp() ? "LHLO " : "EHLO ") + name;
  Reply r = co_await command(line);
  caps_.clear();
  if (r.positive()) {
    const std::string& text = parser_.lastText();
    size_t start = text.find('\n');
    while (start != std::string::npos) {
      size_t end = text.find('\n', start + 1);
      std::string line = text.substr(start + 1, end == std::string::npos ? std::string::npos : end - start - 1);
      std::string word = line.substr(0, line.find(' '));
      std::transform(word.begin(), word.end(), word.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      caps_.insert(word);
      start = end;
    }
  } else if (!lmtp() && stream_ && r.permanent()) {
    const std::string helo = "HELO " + name;
    r = co_await command(helo);
  }
  co_return r;
}

asio::awaitable<Reply> SmtpDownstream::open(const core::SessionInfo& session) {
  parser_ = ReplyParser{};
  net::Socket sock(ex_);
  std::error_code ec;
  asio::steady_timer guard(ex_);
  auto connectWithin = [&](auto endpoint) -> asio::awaitable<std::error_code> {
    std::error_code e;
    sock = net::Socket(ex_);
    sock.open(asio::generic::stream_protocol::endpoint(endpoint).protocol(), e);
    if (e) co_return e;
    bool timedOut = false;
    guard.expires_after(settings_.connectTimeout);
    guard.async_wait([&](std::error_code w) {
      if (!w) {
        timedOut = true;
        std::error_code ignored;
        sock.cancel(ignored);
      }
    });
    co_await sock.async_connect(asio::generic::stream_protocol::endpoint(endpoint),
                                asio::redirect_error(asio::use_awaitable, e));
    guard.cancel();
    co_return timedOut ? std::make_error_code(std::errc::timed_out) : e;
  };
  if (!url_.unixPath.empty()) {
    ec = co_await connectWithin(asio::local::stream_protocol::endpoint(url_.unixPath));
  } else {
    asio::ip::tcp::resolver resolver(ex_);
    auto results = co_await resolver.async_resolve(url_.host, std::to_string(url_.port),
                                                   asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return fail("cannot resolve " + url_.host + ": " + ec.message());
    ec = asio::error::host_not_found;
    for (const auto& entry : results) {
      ec = co_await connectWithin(entry.endpoint());
      if (!ec) break;
    }
  }
  if (ec) co_return fail("connect failed: " + ec.message());
  stream_ = std::make_unique<net::Stream>(std::move(sock));
  net::setNoDelay(stream_->socket());

  Reply greeting = co_await readReply(settings_.commandTimeout);
  if (!stream_) co_return greeting;
  if (greeting.code != 220) co_return fail("greeted with " + greeting.summary());
  Reply r = co_await hello();
  if (!r.positive()) co_return stream_ ? fail("refused EHLO: " + r.summary()) : r;

  if (settings_.tls != DownstreamTls::Off) {
    if (caps_.contains("STARTTLS") && tlsContext_) {
      r = co_await command("STARTTLS");
      if (r.code == 220) {
        // Named, not a conditional temporary inside co_await: GCC 12 destroys such temporaries
        // twice (a coroutine codegen bug that ASan caught here as a bad free).
        const std::string peerName =
            !settings_.tlsName.empty() ? settings_.tlsName : url_.unixPath.empty() ? url_.host : std::string();
        stream_->setDeadline(settings_.commandTimeout);
        ec = co_await stream_->handshake(*tlsContext_, asio::ssl::stream_base::client, peerName);
        stream_->clearDeadline();
        if (ec) co_return fail("TLS handshake failed: " + ec.message());
        parser_ = ReplyParser{};
        r = co_await hello();
        if (!r.positive()) co_return stream_ ? fail("refused EHLO after TLS: " + r.summary()) : r;
      } else if (settings_.tls == DownstreamTls::Require) {
        co_return fail("refused STARTTLS: " + r.summary());
      }
    } else if (settings_.tls == DownstreamTls::Require) {
      co_return fail("does not offer STARTTLS, which is required");
    }
  }
  if (settings_.xclient && caps_.contains("XCLIENT")) {
    std::string addr = session.clientIp ? session.clientIp->str() : "[UNAVAILABLE]";
    if (session.clientIp && session.clientIp->v6) addr = "IPV6:" + addr;
    std::string cmd = "XCLIENT NAME=" + xtext(session.clientName == "unknown" ? "[UNAVAILABLE]" : session.clientName) +
                      " ADDR=" + xtext(addr) + " PORT=" + std::to_string(session.clientPort) +
                      " PROTO=" + (session.esmtp ? "ESMTP" : "SMTP") +
                      " HELO=" + xtext(session.helo.empty() ? "[UNAVAILABLE]" : session.helo);
    r = co_await command(cmd);
    if (r.code != 220) {
      if (!stream_) co_return r;
      core::log::warn("downstream " + url_.str() + " refused XCLIENT: " + r.summary());
    } else {
      // After XCLIENT the downstream expects EHLO again; the client's own name keeps the
      // downstream's Received header and HELO checks about the real client.
      r = co_await hello(session.helo);
      if (!r.positive()) co_return stream_ ? fail("refused EHLO after XCLIENT: " + r.summary()) : r;
    }
  }
  co_return makeReply(250, "2.0.0", "connected");
}

asio::awaitable<Reply> SmtpDownstream::mail(const core::SessionInfo& session,
                                            const core::Transaction& tx) {
  if (!stream_) {
    Reply r = co_await open(session);
    if (!r.positive()) co_return relayable(r);
  }
  if (tx.smtputf8 && !caps_.contains("SMTPUTF8"))
    co_return makeReply(553, "5.6.7", "Downstream does not support SMTPUTF8");
  if (settings_.xforward && caps_.contains("XFORWARD")) {
    std::string addr = session.clientIp ? session.clientIp->str() : "[UNAVAILABLE]";
    if (session.clientIp && session.clientIp->v6) addr = "IPV6:" + addr;
    const std::string xforward = "XFORWARD ADDR=" + xtext(addr) + " PORT=" +
                                 std::to_string(session.clientPort) +
                                 " PROTO=" + (session.esmtp ? "ESMTP" : "SMTP") +
                                 " HELO=" + xtext(session.helo.empty() ? "[UNAVAILABLE]" : session.helo);
    Reply r = co_await command(xforward);
    if (!stream_) co_return relayable(r);
  }
  std::string cmd = "MAIL FROM:<" + tx.mailFrom.str() + ">";
  if (caps_.contains("SIZE") && tx.declaredSize) cmd += " SIZE=" + std::to_string(*tx.declaredSize);
  if (tx.body8bit && caps_.contains("8BITMIME")) cmd += " BODY=8BITMIME";
  if (tx.smtputf8) cmd += " SMTPUTF8";
  Reply r = co_await command(cmd);
  inTransaction_ = stream_ && r.positive();
  acceptedRecipients_ = 0;
  co_return relayable(r);
}

asio::awaitable<Reply> SmtpDownstream::rcpt(const core::Address& rcpt) {
  if (!stream_ || !inTransaction_) co_return makeReply(451, "4.4.2", "Downstream connection lost");
  const std::string cmd = "RCPT TO:<" + rcpt.str() + ">";
  Reply r = co_await command(cmd);
  if (r.positive()) ++acceptedRecipients_;
  co_return relayable(r);
}

asio::awaitable<Reply> SmtpDownstream::data(const core::Transaction& tx, const std::string& prepend) {
  if (!stream_ || !inTransaction_) co_return makeReply(451, "4.4.2", "Downstream connection lost");
  Reply r = co_await command("DATA");
  if (r.code != 354) {
    if (stream_) co_await reset();
    co_return relayable(r.positive() ? makeReply(451, "4.4.2", "Downstream answered DATA with " + r.summary()) : r);
  }
  std::error_code ec;
  stream_->setDeadline(settings_.dataTimeout);
  DotStuffer stuffer;
  std::string chunk = prepend;
  for (size_t pos = 0; pos < tx.message.size() && !ec;) {
    size_t n = std::min<size_t>(256 * 1024, tx.message.size() - pos);
    stuffer.append(std::string_view(tx.message).substr(pos, n), chunk);
    pos += n;
    ec = co_await stream_->write(chunk);
    chunk.clear();
  }
  if (!ec) {
    stuffer.finish(chunk);
    ec = co_await stream_->write(chunk);
  }
  stream_->clearDeadline();
  if (ec) co_return fail(ec == std::errc::timed_out ? "timed out during DATA" : "write error during DATA: " + ec.message());
  inTransaction_ = false;
  if (!lmtp()) co_return relayable(co_await readReply(settings_.dataTimeout));

  // LMTP: one reply per accepted recipient.
  std::optional<Reply> firstOk, firstTemp, firstPerm;
  for (size_t i = 0; i < acceptedRecipients_; ++i) {
    Reply each = co_await readReply(settings_.dataTimeout);
    if (!stream_) co_return each;
    auto& slot = each.positive() ? firstOk : (each.transient() ? firstTemp : firstPerm);
    if (!slot) slot = each;
  }
  if (firstOk && !firstTemp && !firstPerm) co_return *firstOk;
  if (!firstOk) co_return relayable(firstTemp ? *firstTemp : *firstPerm);
  // Mixed outcome: a retry may duplicate mail for the recipients that succeeded, which is
  // better than losing it for the ones that failed.
  co_return makeReply(451, "4.3.0", "Partial delivery failure downstream; please retry");
}

asio::awaitable<void> SmtpDownstream::reset() {
  if (stream_ && inTransaction_) co_await command("RSET");
  inTransaction_ = false;
}

asio::awaitable<void> SmtpDownstream::quit() {
  if (stream_) {
    co_await command("QUIT", std::chrono::milliseconds(5000));
    if (stream_) stream_->close();
    stream_.reset();
  }
}

}  // namespace portcullis::relay
