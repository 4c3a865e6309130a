// `portcullis spf --ip IP [--helo NAME] [--mail-from ADDR]`: one SPF evaluation through the
// gateway's resolver and settings, the way the auth check does it (an admin's spfquery).
#pragma once
#include <string>
#include <vector>

namespace portcullis::cli {

// Prints "RESULT domain lookups=N void=N: explanation"; exit 0, or 2 on usage errors, 1 when
// the config does not load.
int spfCommand(const std::vector<std::string>& args);

}  // namespace portcullis::cli
