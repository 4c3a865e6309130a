// `portcullis learn --spam|--ham FILE...`: an admin's verdict on messages this gateway passed,
// taught to the reputation store with the manual learning weight.
#pragma once
#include <string>
#include <vector>

namespace portcullis::cli {

int learnCommand(const std::vector<std::string>& args);

}  // namespace portcullis::cli
