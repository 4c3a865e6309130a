// Portcullis's own rule files (rules/shipped/*.cf), compiled into the binary. The built-in
// defaults load them as "builtin:shipped", so a binary run from a build directory, installed
// by the package or copied alone filters with the same rules: no path to guess, nothing to
// install first. The package also installs the files, for admins to read and override.
#pragma once
#include <span>

namespace portcullis::rules {

struct EmbeddedRuleFile {
  const char* name;  // e.g. "40_spam.cf"
  const char* text;
};

std::span<const EmbeddedRuleFile> shippedRuleFiles();

}  // namespace portcullis::rules
