// One milter connection from an MTA, driven on a worker's event loop: packets are read and
// decoded, the sans-I/O MilterSession decides, and the same Pipeline the SMTP proxy runs
// judges the connection and each message (connect, HELO, MAIL, RCPT, data and verdict
// stages), with the same verdict, log line and reputation learning.
#pragma once
#include <memory>
#include <string>

#include "gateway/config/snapshot.h"
#include "gateway/milter/session.h"
#include "gateway/net/stream.h"

namespace portcullis::milter {

class MilterConnection {
 public:
  MilterConnection(net::Socket socket, std::shared_ptr<const config::Snapshot> snapshot,
                   std::string id);
  asio::awaitable<void> run();

 private:
  asio::awaitable<bool> write(const std::string& bytes);
  void quickAck();
  asio::awaitable<std::string> endOfMessage();
  core::CheckContext context(const core::Policy& policy, const core::Address* rcpt = nullptr);
  void logTransaction(const core::Decision& d, const core::Verdict& v, const std::string& reply,
                      const std::string& learned);

  net::Stream stream_;
  std::shared_ptr<const config::Snapshot> snapshot_;
  const config::Config& config_;
  bool tcp_ = false;
  MilterSession session_;
};

}  // namespace portcullis::milter
