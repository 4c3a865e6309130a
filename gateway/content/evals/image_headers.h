// Image dimensions from the first bytes of a GIF, PNG or JPEG, read the way SpamAssassin's
// ImageInfo plugin reads them: headers only, every length checked against the data, no decode.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace portcullis::content::evals {

struct ImageSize {
  uint32_t width = 0;
  uint32_t height = 0;
};

// nullopt when the signature is wrong or no dimensions were found (or either is zero).
std::optional<ImageSize> gifSize(std::string_view data);
std::optional<ImageSize> pngSize(std::string_view data);
std::optional<ImageSize> jpegSize(std::string_view data);

}  // namespace portcullis::content::evals
