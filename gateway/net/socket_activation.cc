#include "gateway/net/socket_activation.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <charconv>
#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace portcullis::net {

namespace {
constexpr int kFirstFd = 3;  // SD_LISTEN_FDS_START

bool number(const char* s, long& out) {
  if (!s || !*s) return false;
  auto [p, ec] = std::from_chars(s, s + std::strlen(s), out);
  return ec == std::errc() && *p == '\0';
}

std::string describe(int fd, int& family) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return "";
  family = ss.ss_family;
  char host[INET6_ADDRSTRLEN] = "";
  if (ss.ss_family == AF_INET) {
    auto* a = reinterpret_cast<sockaddr_in*>(&ss);
    ::inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
    return std::string(host) + ":" + std::to_string(ntohs(a->sin_port));
  }
  if (ss.ss_family == AF_INET6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
    ::inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
    return "[" + std::string(host) + "]:" + std::to_string(ntohs(a->sin6_port));
  }
  if (ss.ss_family == AF_UNIX) {
    auto* a = reinterpret_cast<sockaddr_un*>(&ss);
    return len > offsetof(sockaddr_un, sun_path) ? std::string(a->sun_path) : "(unnamed)";
  }
  return "family " + std::to_string(ss.ss_family);
}
}  // namespace

std::vector<ActivatedSocket> takeActivatedSockets(std::string* error) {
  std::vector<ActivatedSocket> out;
  long pid = 0, count = 0;
  const bool ours = number(std::getenv("LISTEN_PID"), pid) && pid == ::getpid() &&
                    number(std::getenv("LISTEN_FDS"), count) && count > 0 && count < 1024;
  std::string names = std::getenv("LISTEN_FDNAMES") ? std::getenv("LISTEN_FDNAMES") : "";
  ::unsetenv("LISTEN_PID");
  ::unsetenv("LISTEN_FDS");
  ::unsetenv("LISTEN_FDNAMES");
  if (!ours) return out;
  for (int i = 0; i < count; ++i) {
    ActivatedSocket s;
    s.fd = kFirstFd + i;
    const size_t colon = names.find(':');
    s.name = names.substr(0, colon);
    names = colon == std::string::npos ? "" : names.substr(colon + 1);
    ::fcntl(s.fd, F_SETFD, FD_CLOEXEC);
    int type = 0, listening = 0;
    socklen_t len = sizeof type;
    const bool stream =
        ::getsockopt(s.fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_STREAM;
    len = sizeof listening;
    const bool accepts =
        ::getsockopt(s.fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) == 0 && listening;
    s.address = describe(s.fd, s.family);
    if (!stream || !accepts) {
      *error = "socket activation: descriptor " + std::to_string(s.fd) +
               (s.name.empty() ? "" : " (" + s.name + ")") +
               " is not a listening stream socket (Accept=no and ListenStream= are needed)";
      return {};
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace portcullis::net
