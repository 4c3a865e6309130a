// An immutable snapshot of everything a session needs: config, loaded lists and the check
// pipeline. SIGHUP builds a new one off the data path; sessions keep the one they started with.
#pragma once
#include <memory>
#include <vector>

#include "gateway/checks/cidr_table.h"
#include "gateway/config/config.h"
#include "gateway/core/pipeline.h"

namespace portcullis::config {

struct Snapshot {
  std::shared_ptr<const Config> config;
  std::shared_ptr<const core::Pipeline> pipeline;
  // The client access list, also read before the banner: allowlisted clients skip the
  // firewall's limits and delays. Null when no list is configured.
  std::shared_ptr<const checks::CidrTable> clientAccess;
  // Reputation lookups and learning; null when [reputation] is off.
  std::shared_ptr<checks::ReputationService> reputation;
  // Set when the store is shared by several nodes (Redis): the firewall's rates, remembered
  // clients and greylisting live there instead of in this process.
  std::shared_ptr<reputation::Store> sharedStore;
};

struct SnapshotResult {
  std::shared_ptr<const Snapshot> snapshot;
  std::vector<core::SourceError> errors;
  std::vector<std::string> warnings;
};

// The explicit check registry: which checks exist and in what order they run.
SnapshotResult buildSnapshot(std::shared_ptr<const Config> config);

// load() + buildSnapshot(), the way `run`, `check-config`, `scan` and SIGHUP all do it.
SnapshotResult loadSnapshot(const std::string& path, const std::vector<Override>& overrides);

}  // namespace portcullis::config
