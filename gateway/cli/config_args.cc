#include "gateway/cli/config_args.h"

#include <iostream>

namespace portcullis::cli {

ArgTaken takeConfigArg(const std::vector<std::string>& args, size_t& i, ConfigArgs& out,
                       std::string_view program) {
  const std::string& a = args[i];
  if (a != "--config" && a != "-c" && a != "-o") return ArgTaken::No;
  if (i + 1 >= args.size()) {
    std::cerr << program << ": " << a << " needs a value\n";
    return ArgTaken::Error;
  }
  const std::string& v = args[++i];
  if (a != "-o") {
    out.path = v;
    return ArgTaken::Yes;
  }
  std::string why;
  auto o = config::parseOverride(v, &why);
  if (!o) {
    std::cerr << program << ": " << why << "\n";
    return ArgTaken::Error;
  }
  out.overrides.push_back(*o);
  return ArgTaken::Yes;
}

std::optional<std::vector<std::string>> splitConfigArgs(const std::vector<std::string>& args,
                                                        ConfigArgs& out, std::string_view program) {
  std::vector<std::string> rest;
  for (size_t i = 0; i < args.size(); ++i) {
    switch (takeConfigArg(args, i, out, program)) {
      case ArgTaken::Error:
        return std::nullopt;
      case ArgTaken::Yes:
        continue;
      case ArgTaken::No:
        rest.push_back(args[i]);
    }
  }
  return rest;
}

}  // namespace portcullis::cli
