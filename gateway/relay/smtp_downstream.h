// SMTP and LMTP downstream client: one connection per client session, reused across its
// transactions, optional STARTTLS, XCLIENT/XFORWARD for Postfix.
#pragma once
#include <memory>
#include <optional>
#include <set>

#include "gateway/net/stream.h"
#include "gateway/relay/downstream.h"
#include "gateway/relay/downstream_url.h"
#include "gateway/relay/relay_settings.h"
#include "gateway/relay/reply_parser.h"

namespace portcullis::relay {

class SmtpDownstream final : public Downstream {
 public:
  SmtpDownstream(asio::any_io_executor ex, DownstreamUrl url, RelaySettings settings,
                 std::shared_ptr<asio::ssl::context> tls, std::string hostname);
  ~SmtpDownstream() override;

  asio::awaitable<core::Reply> mail(const core::SessionInfo& session,
                                    const core::Transaction& tx) override;
  asio::awaitable<core::Reply> rcpt(const core::Address& rcpt) override;
  asio::awaitable<core::Reply> data(const core::Transaction& tx, const std::string& prepend) override;
  asio::awaitable<void> reset() override;
  asio::awaitable<void> quit() override;
  size_t maxRecipients() const override {
    return url_.kind == DownstreamUrl::Kind::Lmtp ? settings_.lmtpMaxRecipients : SIZE_MAX;
  }

 private:
  asio::awaitable<core::Reply> open(const core::SessionInfo& session);
  asio::awaitable<core::Reply> hello(const std::string& as = {});
  asio::awaitable<core::Reply> readReply(std::chrono::milliseconds timeout);
  asio::awaitable<core::Reply> command(const std::string& line,
                                       std::optional<std::chrono::milliseconds> timeout = {});
  core::Reply fail(std::string what);
  core::Reply relayable(core::Reply r) const;
  bool lmtp() const { return url_.kind == DownstreamUrl::Kind::Lmtp; }

  asio::any_io_executor ex_;
  DownstreamUrl url_;
  RelaySettings settings_;
  std::shared_ptr<asio::ssl::context> tlsContext_;
  std::string hostname_;
  std::unique_ptr<net::Stream> stream_;
  ReplyParser parser_;
  std::string readBuf_;
  std::set<std::string> caps_;
  bool inTransaction_ = false;
  size_t acceptedRecipients_ = 0;
};

// xtext (RFC 3461) for XCLIENT/XFORWARD attribute values.
std::string xtext(std::string_view s);

}  // namespace portcullis::relay
