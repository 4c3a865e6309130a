// `portcullis rules lint|test PATH...`: what an admin runs after editing rule files.
#pragma once
#include <string>
#include <vector>

namespace portcullis::cli {

// Exit status: 0 clean, 1 errors in the files (lint) or failed inline tests (test), 4 usage.
int rulesCommand(const std::vector<std::string>& args);

}  // namespace portcullis::cli
