// Config files: any bytes load or produce errors naming the file; never a crash or an escape.
#include <unistd.h>

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
  return 0;
}
