#include "gateway/content/evals/scalar_get.h"

#include <array>
#include <cctype>

namespace portcullis::content::evals {
namespace {

bool asksForOneValue(std::string_view request) {
  if (request == "EnvelopeFrom") return true;
  static constexpr std::array<std::string_view, 6> kModifiers = {":addr",   ":name", ":host",
                                                                 ":domain", ":ip",   ":revip"};
  for (std::string_view m : kModifiers) {
    for (size_t at = request.find(m); at != std::string_view::npos; at = request.find(m, at + 1)) {
      size_t end = at + m.size();
      // Perl's \b after the modifier: the next character is not a word character.
      if (end == request.size() ||
          !(std::isalnum(static_cast<unsigned char>(request[end])) || request[end] == '_'))
        return true;
    }
  }
  return false;
}

}  // namespace

std::string scalarGet(const EvalContext& ctx, std::string_view request) {
  if (!asksForOneValue(request)) return ctx.get(request);
  std::vector<std::string> values = ctx.getAll(request);
  if (values.empty()) return {};
  std::string first = values.front();
  if (first.ends_with('\n')) first.pop_back();
  return first;
}

}  // namespace portcullis::content::evals
