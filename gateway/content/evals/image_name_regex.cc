// image_name_regex(regex): an image part whose file name matches (a bad pattern never hits).
#include <regex>

#include "gateway/content/evals/image_evals.h"
#include "gateway/content/evals/image_facts.h"

namespace portcullis::content::evals {

int imageNameRegex(const EvalContext& ctx, const std::vector<std::string>& args) {
  if (args.empty() || ctx.facts<ImageFacts>().names.empty()) return 0;
  try {
    // The rule's pattern may be written /.../flags; a bare pattern is taken as it is.
    std::string pattern = args[0];
    auto flags = std::regex::ECMAScript;
    if (pattern.size() >= 2 && pattern.front() == '/') {
      size_t close = pattern.rfind('/');
      if (close > 0) {
        if (pattern.find('i', close) != std::string::npos) flags |= std::regex::icase;
        pattern = pattern.substr(1, close - 1);
      }
    }
    std::regex re(pattern, flags);
    for (const auto& name : ctx.facts<ImageFacts>().names)
      if (std::regex_search(name, re)) return 1;
  } catch (const std::regex_error&) {
  }
  return 0;
}

}  // namespace portcullis::content::evals
