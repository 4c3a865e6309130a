#include "gateway/content/evals/mime_eval_args.h"

#include <cstdlib>

namespace portcullis::content::evals {

double perlNumber(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n')) ++i;
  size_t start = i;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  size_t digits = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    size_t e = i + 1;
    if (e < text.size() && (text[e] == '+' || text[e] == '-')) ++e;
    if (e < text.size() && text[e] >= '0' && text[e] <= '9') {
      i = e;
      while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    }
  }
  return std::strtod(std::string(text.substr(start, i - start)).c_str(), nullptr);
}

std::optional<double> numberArg(const std::vector<std::string>& args, size_t index) {
  if (index >= args.size()) return std::nullopt;
  return perlNumber(args[index]);
}

}  // namespace portcullis::content::evals
