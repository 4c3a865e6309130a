#include "gateway/proxy/privileges.h"

#include <grp.h>
#include <pwd.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "gateway/core/log.h"

namespace portcullis::proxy {

namespace {
std::string errnoText(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

// The path and, for a directory, everything under it (state directories hold a few files or a
// maildir; the quarantine may hold many, which is still one pass at start-up).
std::string chownTree(const std::string& path, uid_t uid, gid_t gid) {
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::symlink_status(path, ec))) return "";
  if (::lchown(path.c_str(), uid, gid) != 0) return errnoText("chown " + path);
  if (!std::filesystem::is_directory(std::filesystem::symlink_status(path, ec))) return "";
  for (auto it = std::filesystem::recursive_directory_iterator(path, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
    if (::lchown(it->path().c_str(), uid, gid) != 0)
      return errnoText("chown " + it->path().string());
  return ec ? "chown " + path + ": " + ec.message() : "";
}
}  // namespace

std::string dropPrivileges(const config::Config& c, const std::vector<std::string>& owned) {
  if (::geteuid() != 0) {
    if (!c.user.empty()) {
      const passwd* pw = ::getpwnam(c.user.c_str());
      if (pw && pw->pw_uid != ::geteuid())
        core::log::warn("user = \"" + c.user + "\" is not who this process runs as (uid " +
                        std::to_string(::geteuid()) + ") and only root can switch; continuing");
    }
    return "";
  }
  if (c.user.empty()) {
    if (!c.runAsRoot)
      return "refusing to serve as root: set user = \"...\" (the package's is \"portcullis\"), or "
             "run_as_root = true if you really mean it";
    core::log::warn("serving as root (run_as_root = true)");
    return "";
  }
  const passwd* pw = ::getpwnam(c.user.c_str());
  if (!pw) return "user '" + c.user + "': no such user";
  const uid_t uid = pw->pw_uid;
  gid_t gid = pw->pw_gid;
  if (!c.group.empty()) {
    const group* gr = ::getgrnam(c.group.c_str());
    if (!gr) return "group '" + c.group + "': no such group";
    gid = gr->gr_gid;
  }
  if (uid == 0) {
    if (!c.runAsRoot) return "user '" + c.user + "' is root: set run_as_root = true if you mean it";
    return "";
  }
  for (const auto& p : owned)
    if (auto err = chownTree(p, uid, gid); !err.empty()) return err;
  if (::setgroups(0, nullptr) != 0) return errnoText("setgroups");
  if (::setgid(gid) != 0) return errnoText("setgid " + std::to_string(gid));
  if (::setuid(uid) != 0) return errnoText("setuid " + std::to_string(uid));
  // The drop must be irreversible.
  if (::setuid(0) == 0 || ::geteuid() == 0) return "still able to become root after setuid";
  core::log::info("running as user " + c.user + " (uid " + std::to_string(uid) + ", gid " +
                  std::to_string(gid) + ")");
  return "";
}

}  // namespace portcullis::proxy
