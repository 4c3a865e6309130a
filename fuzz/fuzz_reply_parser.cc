// Downstream replies: arbitrary bytes must yield replies or errors, never a crash or a loop, and
// the same replies whether the bytes arrive at once or in pieces (TCP cuts them anywhere).
#include <cstdint>
#include <string_view>
#include <vector>

#include "gateway/relay/reply_parser.h"

namespace {
using portcullis::core::Reply;

// Every reply the parser yields for `in` fed in pieces of `piece` bytes (0: all at once),
// asking for replies after each piece as the relay does.
std::vector<Reply> replies(std::string_view in, size_t piece) {
  portcullis::relay::ReplyParser p;
  std::vector<Reply> out;
  if (piece == 0) piece = in.size() + 1;
  for (size_t pos = 0; pos < in.size() || pos == 0; pos += piece) {
    p.feed(in.substr(pos, piece));
    while (out.size() < 100000) {
      auto r = p.next();
      if (!r) break;
      if (r->code >= 0 && (r->code < 100 || r->code > 999)) __builtin_trap();
      out.push_back(std::move(*r));
    }
    if (in.empty()) break;
  }
  return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  auto whole = replies(in, 0);
  // Past 64 KB without a line end the parser gives up on what it holds, which depends on when
  // it is asked: the equivalence holds below that.
  if (in.size() >= 64 * 1024) return 0;
  auto pieces = replies(in, 1 + data[0] % 16);
  if (whole.size() != pieces.size()) __builtin_trap();
  for (size_t i = 0; i < whole.size(); ++i)
    if (whole[i].code != pieces[i].code || whole[i].enhanced != pieces[i].enhanced ||
        whole[i].text != pieces[i].text)
      __builtin_trap();
  return 0;
}
