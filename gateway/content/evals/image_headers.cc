#include "gateway/content/evals/image_headers.h"

#include <algorithm>

namespace portcullis::content::evals {
namespace {

uint32_t byteAt(std::string_view d, size_t i) {
  return static_cast<unsigned char>(d[i]);
}
uint32_t be16(std::string_view d, size_t i) {
  return byteAt(d, i) << 8 | byteAt(d, i + 1);
}
uint32_t le16(std::string_view d, size_t i) {
  return byteAt(d, i) | byteAt(d, i + 1) << 8;
}
uint32_t be32(std::string_view d, size_t i) {
  return be16(d, i) << 16 | be16(d, i + 2);
}

std::optional<ImageSize> nonZero(uint32_t width, uint32_t height) {
  if (width == 0 || height == 0) return std::nullopt;
  return ImageSize{width, height};
}

}  // namespace

std::optional<ImageSize> gifSize(std::string_view data) {
  // "GIF87a" / "GIF89a", then the logical screen's width and height, little-endian.
  if (data.size() < 10 || !(data.starts_with("GIF87a") || data.starts_with("GIF89a")))
    return std::nullopt;
  return nonZero(le16(data, 6), le16(data, 8));
}

std::optional<ImageSize> pngSize(std::string_view data) {
  if (!data.starts_with(std::string_view("\x89PNG\r\n\x1a\n", 8))) return std::nullopt;
  // Chunks are walked as ImageInfo walks them: 8-byte length+type heads, stepping over the
  // head only (not the chunk's data), until IEND or an IHDR of length 13.
  size_t pos = 8;
  while (pos < data.size()) {
    if (data.size() - pos < 8) return std::nullopt;  // unpack would read short fields
    uint32_t length = be32(data, pos);
    std::string_view type = data.substr(pos + 4, 4);
    pos += 8;
    if (type == "IEND") return std::nullopt;
    if (type != "IHDR" || length != 13) continue;
    if (data.size() - pos < 8) return std::nullopt;
    return nonZero(be32(data, pos), be32(data, pos + 4));
  }
  return std::nullopt;
}

std::optional<ImageSize> jpegSize(std::string_view data) {
  if (!data.starts_with("\xFF\xD8")) return std::nullopt;
  size_t pos = 2;
  while (data.size() - pos >= 4) {
    uint32_t marker0 = byteAt(data, pos);
    uint32_t mark = byteAt(data, pos + 1);
    uint32_t length = be16(data, pos + 2);
    if (marker0 != 0xFF || mark == 0xDA || mark == 0xD9 || length < 2) return std::nullopt;
    pos += 4;
    size_t blockLength = std::min<size_t>(length - 2, data.size() - pos);
    bool frameHeader = (mark >= 0xC0 && mark <= 0xC3) || (mark >= 0xC5 && mark <= 0xC7) ||
                       (mark >= 0xC9 && mark <= 0xCB) || (mark >= 0xCD && mark <= 0xCF);
    if (frameHeader) {
      // precision, height, width: short blocks read as zeros, as unpack does.
      std::string_view block = data.substr(pos, blockLength);
      uint32_t height = block.size() >= 3 ? be16(block, 1) : 0;
      uint32_t width = block.size() >= 5 ? be16(block, 3) : 0;
      return nonZero(width, height);
    }
    pos += blockLength;
  }
  return std::nullopt;
}

}  // namespace portcullis::content::evals
