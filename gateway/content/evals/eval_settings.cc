#include "gateway/content/evals/eval_settings.h"

#include <cctype>

namespace portcullis::content::evals {

std::vector<std::string_view> EvalSettings::values(std::string_view key) const {
  std::vector<std::string_view> out;
  for (const auto& s : settings_)
    if (s.key == key) out.push_back(s.value);
  return out;
}

std::vector<std::string> EvalSettings::words(std::string_view key) const {
  std::vector<std::string> out;
  for (std::string_view v : values(key)) {
    size_t i = 0;
    while (i < v.size()) {
      while (i < v.size() && std::isspace(static_cast<unsigned char>(v[i]))) ++i;
      size_t start = i;
      while (i < v.size() && !std::isspace(static_cast<unsigned char>(v[i]))) ++i;
      if (i > start) out.emplace_back(v.substr(start, i - start));
    }
  }
  return out;
}

std::string_view EvalSettings::last(std::string_view key, std::string_view fallback) const {
  for (auto it = settings_.rbegin(); it != settings_.rend(); ++it)
    if (it->key == key) return it->value;
  return fallback;
}

}  // namespace portcullis::content::evals
