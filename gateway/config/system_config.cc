#include "gateway/config/system_config.h"

#include <cstdlib>
#include <filesystem>

namespace portcullis::config {

std::string systemConfigPath() {
  const char* env = std::getenv("PORTCULLIS_SYSTEM_CONFIG");
  return env && *env ? env : "/etc/portcullis/portcullis.toml";
}

std::string effectiveConfigPath(const std::string& explicitPath) {
  if (!explicitPath.empty()) return explicitPath;
  std::error_code ec;
  const std::string system = systemConfigPath();
  return std::filesystem::exists(system, ec) ? system : "";
}

}  // namespace portcullis::config
