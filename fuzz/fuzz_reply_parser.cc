// Downstream replies: arbitrary bytes must yield replies or errors, never a crash or a loop.
#include <cstdint>
#include <string_view>

#include "gateway/relay/reply_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  portcullis::relay::ReplyParser p;
  p.feed(std::string_view(reinterpret_cast<const char*>(data), size));
  for (int i = 0; i < 100000; ++i) {
    auto r = p.next();
    if (!r) break;
    if (r->code >= 0 && (r->code < 100 || r->code > 999)) __builtin_trap();
  }
  return 0;
}
