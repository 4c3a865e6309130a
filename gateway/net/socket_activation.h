// Listening sockets handed over by systemd socket activation (sd_listen_fds(3) protocol:
// LISTEN_PID, LISTEN_FDS, LISTEN_FDNAMES; descriptors from 3 on), read without libsystemd.
#pragma once
#include <string>
#include <vector>

namespace portcullis::net {

struct ActivatedSocket {
  int fd = -1;
  std::string name;     // FileDescriptorName= of the socket unit; "" when none was given
  int family = 0;       // AF_INET, AF_INET6, AF_UNIX
  std::string address;  // for the log: "127.0.0.1:25", "/run/portcullis/milter.sock"
};

// The sockets passed to this process, if any; the variables are removed from the environment
// so that children do not take them too. A passed descriptor that is not a listening stream
// socket is an error (named in `error`), as systemd would have been misconfigured.
std::vector<ActivatedSocket> takeActivatedSockets(std::string* error);

}  // namespace portcullis::net
