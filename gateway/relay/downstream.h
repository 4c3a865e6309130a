// Where accepted mail goes. One Downstream object per client session; the client's
// transaction is mirrored onto it command by command, and the client's end of data is
// answered only with what the downstream answered. Nothing here is ever acknowledged to the
// client on the downstream's behalf.
#pragma once
#include <memory>
#include <string>

#include "gateway/core/reply.h"
#include "gateway/core/transaction.h"
#include "gateway/net/asio.h"

namespace portcullis::relay {

class Downstream {
 public:
  virtual ~Downstream() = default;
  // Starts a transaction (connecting first if needed). Failure replies are 4xx/5xx to relay.
  virtual asio::awaitable<core::Reply> mail(const core::SessionInfo& session,
                                            const core::Transaction& tx) = 0;
  virtual asio::awaitable<core::Reply> rcpt(const core::Address& rcpt) = 0;
  // Sends the message: `prepend` (CRLF-terminated header lines the gateway adds) then
  // tx.message with dot-stuffing. Returns the downstream's final answer for the transaction.
  virtual asio::awaitable<core::Reply> data(const core::Transaction& tx,
                                            const std::string& prepend) = 0;
  // Abandons the current transaction, if any (client RSET, rejected message, client gone).
  virtual asio::awaitable<void> reset() = 0;
  virtual asio::awaitable<void> quit() = 0;
  // How many recipients one transaction may carry (LMTP: per-recipient replies).
  virtual size_t maxRecipients() const { return SIZE_MAX; }
};

}  // namespace portcullis::relay
