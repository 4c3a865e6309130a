// `portcullis quarantine list|show|release|delete`: the admin's side of the quarantine the
// gateway fills (quarantine.dir). Release relays a message to the configured downstream.
#pragma once
#include <string>
#include <vector>

namespace portcullis::cli {

int quarantineCommand(const std::vector<std::string>& args);

}  // namespace portcullis::cli
