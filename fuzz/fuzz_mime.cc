// The MIME parser on arbitrary bytes, with small limits so deep and wide structures are
// reached. Invariants: it returns; every decoded header and text is valid UTF-8; limits hold.
#include <cstdint>
#include <string_view>

#include "gateway/mime/charset.h"
#include "gateway/mime/message.h"

using namespace portcullis::mime;

namespace {
void checkUtf8(const std::string& s) {
  bool invalid = false;
  sanitizeUtf8(s, &invalid);
  if (invalid) __builtin_trap();
}

void walk(const Part& p, int depth, const Limits& l) {
  if (depth > l.maxDepth + 1) __builtin_trap();
  for (const auto& h : p.headers) checkUtf8(h.decoded);
  if (p.type == "text") checkUtf8(p.text);
  checkUtf8(p.rendered);
  for (const auto& c : p.children) walk(c, depth + 1, l);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Limits l;
  l.maxDepth = 8;
  l.maxParts = 64;
  l.maxDecodedBytes = 1 << 16;
  l.html.maxDepth = 32;  // small, so the HTML budget's cuts are reached as well
  l.html.maxElements = 500;
  l.html.maxBytes = 1 << 14;
  Message m = parseMessage(std::string_view(reinterpret_cast<const char*>(data), size), l);
  if (m.partCount > l.maxParts + 1 || m.decodedBytes > l.maxDecodedBytes) __builtin_trap();
  walk(m.root, 0, l);
  return 0;
}
