// `portcullis reputation show KEY...` and `portcullis reputation set KEY allow|deny|neutral|none`
// on the configured store (`store`), while the gateway runs or not: LMDB lets both processes
// open it.
#pragma once
#include <string>
#include <vector>

namespace portcullis::cli {

// Exit 0; 1 when the config or store cannot be opened; 2 on usage errors or a bad key.
int reputationCommand(const std::vector<std::string>& args);

}  // namespace portcullis::cli
