// The image header readers (GIF, PNG, JPEG) and SpamAssassin's part walk on arbitrary bytes.
// Invariants: they return; a size found is never zero in either dimension.
#include <cstdint>
#include <string_view>

#include "gateway/content/evals/image_headers.h"
#include "gateway/content/evals/mime_sa_parts.h"

using namespace portcullis::content::evals;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (auto reader : {gifSize, pngSize, jpegSize}) {
    if (auto found = reader(bytes); found && (found->width == 0 || found->height == 0))
      __builtin_trap();
  }
  SaMimeTree tree = parseSaMimeTree(bytes);
  for (const SaPart& part : tree.parts) {
    for (size_t child : part.children)
      if (child >= tree.parts.size()) __builtin_trap();
    if (part.leaf) (void)part.decode(64);
  }
  return 0;
}
