// Config files: any bytes load or produce errors naming the file and a line of it; never a
// crash or an escape.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>

#include "gateway/config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/portcullis-fuzz-" + std::to_string(getpid()) + ".toml";
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  auto r = portcullis::config::load(path, {});
  if (!r.config && r.errors.empty()) __builtin_trap();
  // An error at the end of the text may name the line after the last line end.
  const int lines = 1 + static_cast<int>(std::count(data, data + size, '\n'));
  for (const auto& e : r.errors)
    if (e.file != path || e.line < 1 || e.line > lines) __builtin_trap();
  return 0;
}
