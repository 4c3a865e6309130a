// A real redis-server on a free loopback port, without persistence, for the store tests and
// bench/reputation_store; killed with the object. start() throws std::runtime_error when the
// server does not come up.
#pragma once
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>

#include "reputation/redis_store.h"

namespace portcullis::testing {

class RedisServer {
 public:
  RedisServer() : port_(freePort()) { start(); }
  ~RedisServer() { stop(); }
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  int port() const { return port_; }
  std::string url(const std::string& options = "") const {
    return "redis://127.0.0.1:" + std::to_string(port_) + options;
  }
  void start() {
    std::fflush(stdout);  // or the child's freopen writes out what is buffered a second time
    pid_ = fork();
    if (pid_ == 0) {
      const std::string port = std::to_string(port_);
      if (!std::freopen("/dev/null", "w", stdout)) _exit(126);  // its start-up banner
      execlp("redis-server", "redis-server", "--port", port.c_str(), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--loglevel", "warning", nullptr);
      _exit(127);
    }
    std::string why;
    for (int i = 0; i < 200; ++i) {  // up to 10 s
      reputation::RedisStore probe(*reputation::parseRedisUrl(url(), &why));
      try {
        probe.ping();
        return;
      } catch (const reputation::StoreError&) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
          pid_ = 0;
          throw std::runtime_error("redis-server did not start (is it installed?)");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
    throw std::runtime_error("redis-server did not answer PING within 10 s");
  }
  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGCONT);
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = 0;
  }
  void pause() { kill(pid_, SIGSTOP); }
  void resume() { kill(pid_, SIGCONT); }

 private:
  static int freePort() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    close(fd);
    return ntohs(a.sin_port);
  }
  int port_;
  pid_t pid_ = 0;
};

}  // namespace portcullis::testing
