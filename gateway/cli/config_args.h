// The options every config-reading command shares: --config FILE (or -c FILE) and repeated
// -o key=value overrides.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/config/config.h"

namespace portcullis::cli {

struct ConfigArgs {
  std::string path;  // empty: built-in defaults
  std::vector<config::Override> overrides;
};

enum class ArgTaken { Yes, No, Error };

// Consumes args[i] (and its value, advancing i) when it is one of the shared options. Error:
// a message prefixed with `program` ("portcullis learn") went to stderr.
ArgTaken takeConfigArg(const std::vector<std::string>& args, size_t& i, ConfigArgs& out,
                       std::string_view program);

// Takes the shared options out of `args` and returns the rest, in order; nullopt after an
// error message (as takeConfigArg).
std::optional<std::vector<std::string>> splitConfigArgs(const std::vector<std::string>& args,
                                                        ConfigArgs& out, std::string_view program);

}  // namespace portcullis::cli
