#include "gateway/relay/maildir_downstream.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "gateway/core/log.h"
#include "gateway/net/off_loop.h"

namespace portcullis::relay {

using core::makeReply;
using core::Reply;

namespace {
std::atomic<uint64_t> gCounter{0};

bool writeAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool fsyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return false;
  bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}
}  // namespace

MaildirDownstream::MaildirDownstream(asio::any_io_executor ex, asio::thread_pool& pool,
                                     std::string path, std::string hostname)
    : ex_(std::move(ex)), pool_(pool), path_(std::move(path)), hostname_(std::move(hostname)) {}

asio::awaitable<Reply> MaildirDownstream::mail(const core::SessionInfo&, const core::Transaction&) {
  co_return makeReply(250, "2.1.0", "Ok");
}

asio::awaitable<Reply> MaildirDownstream::rcpt(const core::Address&) {
  co_return makeReply(250, "2.1.5", "Ok");
}

asio::awaitable<Reply> MaildirDownstream::data(const core::Transaction& tx,
                                               const std::string& prepend) {
  auto write = [this, &tx, &prepend] {
    try {
      return deliver(tx, prepend);
    } catch (const std::exception& e) {
      core::log::warn(std::string("maildir: ") + e.what());
      return makeReply(451, "4.3.0", "Local mailbox write failed; try again later");
    }
  };
  co_return co_await net::offLoop(pool_, std::move(write));
}

std::string createMaildir(const std::string& path) {
  std::error_code ec;
  for (const char* sub : {"tmp", "new", "cur"}) {
    std::filesystem::create_directories(path + "/" + sub, ec);
    if (ec) return path + "/" + sub + ": " + ec.message();
  }
  return "";
}

Reply MaildirDownstream::deliver(const core::Transaction& tx, const std::string& prepend) {
  std::string names;
  for (const auto& rcpt : tx.recipients) {
    auto now = std::chrono::system_clock::now().time_since_epoch();
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
    std::string base = std::to_string(us / 1000000) + ".M" + std::to_string(us % 1000000) + "P" +
                       std::to_string(getpid()) + "Q" + std::to_string(++gCounter) + "." +
                       hostname_;
    std::string tmp = path_ + "/tmp/" + base;
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno == ENOENT && createMaildir(path_).empty())  // removed while running
      fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      core::log::error("maildir " + tmp + ": " + std::strerror(errno));
      return makeReply(451, "4.3.0", "Local mailbox unavailable; try again later");
    }
    std::string envelope =
        "Return-Path: <" + tx.mailFrom.str() + ">\r\nDelivered-To: " + rcpt.address.str() + "\r\n";
    bool ok = writeAll(fd, envelope) && writeAll(fd, prepend) && writeAll(fd, tx.message) &&
              ::fsync(fd) == 0;
    ok = (::close(fd) == 0) && ok;
    if (!ok || ::rename(tmp.c_str(), (path_ + "/new/" + base).c_str()) != 0 ||
        !fsyncDir(path_ + "/new")) {
      core::log::error("maildir " + tmp + ": " + std::strerror(errno));
      ::unlink(tmp.c_str());
      return makeReply(451, "4.3.0", "Local mailbox write failed; try again later");
    }
    if (!names.empty()) names += ' ';
    names += base;
  }
  return makeReply(250, "2.0.0", "Ok: delivered to maildir as " + names);
}

}  // namespace portcullis::relay
