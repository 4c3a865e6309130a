// The embedded sink: delivers each accepted message into a maildir (one file per recipient,
// written to tmp/, fsynced, then renamed into new/), so the gateway works with no MTA behind
// it. File I/O runs on a small thread pool, never on an event loop.
#pragma once
#include <string>

#include "gateway/relay/downstream.h"

namespace portcullis::relay {

// Creates PATH/{tmp,new,cur}; returns "" or what failed. Called once at start-up.
std::string createMaildir(const std::string& path);

class MaildirDownstream final : public Downstream {
 public:
  MaildirDownstream(asio::any_io_executor ex, asio::thread_pool& pool, std::string path,
                    std::string hostname);

  asio::awaitable<core::Reply> mail(const core::SessionInfo&, const core::Transaction&) override;
  asio::awaitable<core::Reply> rcpt(const core::Address& rcpt) override;
  asio::awaitable<core::Reply> data(const core::Transaction& tx, const std::string& prepend) override;
  asio::awaitable<void> reset() override { co_return; }
  asio::awaitable<void> quit() override { co_return; }

 private:
  core::Reply deliver(const core::Transaction& tx, const std::string& prepend);

  asio::any_io_executor ex_;
  asio::thread_pool& pool_;
  std::string path_;
  std::string hostname_;
};

}  // namespace portcullis::relay
