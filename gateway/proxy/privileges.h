// Least privilege for `run`: started as root, the gateway binds its ports, reads its keys and
// opens its stores, then hands the state it writes to the configured user and becomes that
// user (its group, supplementary groups cleared) before it serves anything. Root with no user
// configured is refused unless run_as_root says so. Under systemd with User= the process is
// never root and this only checks that the configured user, if any, is the one it runs as.
#pragma once
#include <string>
#include <vector>

#include "gateway/config/config.h"

namespace portcullis::proxy {

// `owned`: paths the user must be able to write (state directories, recursively; sockets).
// "" when the process may serve, or why it must not.
std::string dropPrivileges(const config::Config& c, const std::vector<std::string>& owned);

}  // namespace portcullis::proxy
