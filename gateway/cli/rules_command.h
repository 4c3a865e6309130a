// `portcullis rules lint|test|list [PATH...]`: what an admin runs after editing rule files;
// with no PATH, the rule set the gateway loads (one list of files, config::load computes it).
#pragma once
#include <string>
#include <vector>

namespace portcullis::cli {

// Exit status: 0 clean, 1 errors in the files (lint) or failed inline tests (test), 4 usage
// or a config that does not load.
int rulesCommand(const std::vector<std::string>& args);

}  // namespace portcullis::cli
