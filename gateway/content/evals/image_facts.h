// ImageInfo's _get_images: the base64 GIF, PNG and JPEG parts, their pixel areas, sizes and
// names, per type ("gif", "png", "jpeg") and for "all".
#pragma once
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace portcullis::content::evals {

class EvalContext;

struct ImageFacts {
  explicit ImageFacts(const EvalContext& ctx);

  struct PerType {
    long count = 0;
    double pixels = 0;                           // summed width * height
    std::set<std::pair<long, long>> dimensions;  // (height, width)
  };
  // nullptr for a type ImageInfo does not know.
  const PerType* type(std::string_view name) const;

  std::map<std::string, PerType, std::less<>> types;  // "gif", "png", "jpeg", "all"
  std::set<std::string> names;                        // parts with a name whose size could be read
};

}  // namespace portcullis::content::evals
