#include "gateway/content/evals/eval_settings.h"

#include <cctype>

namespace portcullis::content::evals {

EvalSettings::EvalSettings(std::vector<rules::Setting> settings) : settings_(std::move(settings)) {
  for (size_t i = 0; i < settings_.size(); ++i) byKey_[settings_[i].key].push_back(i);
}

std::vector<std::string_view> EvalSettings::values(std::string_view key) const {
  std::vector<std::string_view> out;
  if (auto it = byKey_.find(key); it != byKey_.end())
    for (size_t i : it->second) out.push_back(settings_[i].value);
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
  auto it = byKey_.find(key);
  return it == byKey_.end() ? fallback : std::string_view(settings_[it->second.back()].value);
}

}  // namespace portcullis::content::evals
