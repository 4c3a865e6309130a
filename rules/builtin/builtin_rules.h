// Rule sets compiled into the binary, named in rules.paths as "builtin:NAME". The shipped set
// ("builtin:shipped", rules/shipped/*.cf) is compiled in rather than looked up on disk so that
// the built-in defaults mean the same rules wherever the binary runs: from a build directory,
// from the Debian package, or copied alone to another machine. A path on disk could be missing
// or stale (an older copy next to a newer binary); text inside the binary cannot.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "rules/engine/rule_file_parser.h"

namespace portcullis::rules {

inline constexpr std::string_view kBuiltinPrefix = "builtin:";

struct BuiltinFile {
  std::string_view name;  // the source file's name, e.g. "10_test_messages.cf"
  std::string_view text;
};

// The files of a built-in set in reading order, or nullptr when no set has that name.
const std::vector<BuiltinFile>* builtinRuleSet(std::string_view name);
// Every built-in set's name ("shipped").
std::vector<std::string> builtinRuleSetNames();

// One rules.paths entry into the parser: "builtin:NAME" reads that set (diagnostics name its
// files "builtin:NAME/FILE"); anything else is a file or directory on disk.
void addRuleSource(RuleFileParser& parser, const std::string& source);

}  // namespace portcullis::rules
