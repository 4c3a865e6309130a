#include "gateway/content/evals/image_facts.h"

#include <regex>

#include "gateway/content/evals/eval_context.h"
#include "gateway/content/evals/image_headers.h"
#include "gateway/content/evals/mime_facts.h"

namespace portcullis::content::evals {

ImageFacts::ImageFacts(const EvalContext& ctx) {
  for (const char* name : {"gif", "png", "jpeg", "all"}) types[name];
  const SaMimeTree& tree = ctx.facts<MimeFacts>().tree;
  static const std::regex imageType("image/(?:gif|png|jpe?g)\\n?");
  auto parts = tree.findParts(
      [](const std::string& type) { return std::regex_match(type, imageType); }, true);
  for (const SaPart* part : parts) {
    std::string cte = part->header("content-transfer-encoding");
    for (char& c : cte)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (cte != "base64") continue;
    std::string kind = part->type.substr(part->type.find('/') + 1);
    if (kind == "jpg") kind = "jpeg";
    std::optional<ImageSize> size;
    if (kind == "gif")
      size = gifSize(part->decode(13));
    else if (kind == "png")
      size = pngSize(part->decode());
    else
      size = jpegSize(part->decode());
    PerType& entry = types[kind];
    ++entry.count;
    if (!size) continue;
    entry.pixels += static_cast<double>(size->width) * size->height;
    entry.dimensions.emplace(size->height, size->width);
    if (!part->name.empty()) names.insert(part->name);
  }
  PerType& all = types["all"];
  for (const char* name : {"gif", "png", "jpeg"}) {
    const PerType& one = types[name];
    all.count += one.count;
    all.pixels += one.pixels;
    all.dimensions.insert(one.dimensions.begin(), one.dimensions.end());
  }
}

const ImageFacts::PerType* ImageFacts::type(std::string_view name) const {
  auto it = types.find(name);
  return it == types.end() ? nullptr : &it->second;
}

}  // namespace portcullis::content::evals
