// Errors as values: what went wrong and where (file:line for config, lists and rules).
#pragma once
#include <string>

namespace portcullis::core {

struct SourceError {
  std::string file;
  int line = 0;  // 0 when the error concerns the whole file
  std::string message;

  std::string str() const {
    std::string out = file;
    if (line > 0) out += ":" + std::to_string(line);
    if (!out.empty()) out += ": ";
    return out + message;
  }
};

}  // namespace portcullis::core
