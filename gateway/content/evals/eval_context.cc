#include "gateway/content/evals/eval_context.h"

namespace portcullis::content::evals {
namespace {

// "Name:mod:mod" as a header rule writes it.
rules::HeaderQuery parseRequest(std::string_view request) {
  rules::HeaderQuery q;
  size_t colon = request.find(':');
  q.name = std::string(request.substr(0, colon));
  while (colon != std::string_view::npos) {
    size_t next = request.find(':', colon + 1);
    std::string_view mod = request.substr(
        colon + 1, next == std::string_view::npos ? std::string_view::npos : next - colon - 1);
    q.raw |= mod == "raw";
    q.addr |= mod == "addr";
    q.displayName |= mod == "name";
    q.first |= mod == "first";
    q.last |= mod == "last";
    colon = next;
  }
  return q;
}

}  // namespace

std::vector<std::string> EvalContext::getAll(std::string_view request) const {
  return text_.header(parseRequest(request));
}

std::string EvalContext::get(std::string_view request) const {
  std::vector<std::string> values = getAll(request);
  std::string out;
  // As the engine joins them: instances ending in "\n" end to end, others one per line.
  const char* sep = !values.empty() && values.front().ends_with('\n') ? "" : "\n";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? sep : "") + values[i];
  return out;
}

}  // namespace portcullis::content::evals
