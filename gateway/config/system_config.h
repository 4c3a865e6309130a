// Where commands look for their configuration when no --config is given.
#pragma once
#include <string>

namespace portcullis::config {

// /etc/portcullis/portcullis.toml, or $PORTCULLIS_SYSTEM_CONFIG when set (tests point it at a
// file of their own, or at one that does not exist, so they never read the machine's /etc).
std::string systemConfigPath();

// `explicitPath` when given; else the system config when it exists; else "" (the built-in
// defaults).
std::string effectiveConfigPath(const std::string& explicitPath);

}  // namespace portcullis::config
