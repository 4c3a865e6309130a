// The settings of the rule files that evals read (SpamAssassin's configuration lines that
// define no rule: freemail_domains, welcomelist_from, util_rb_tld, ...), in the order read.
#pragma once
#include <string>
#include <string_view>
#include <map>
#include <vector>

#include "rules/engine/rule_file_parser.h"

namespace portcullis::content::evals {

class EvalSettings {
 public:
  EvalSettings() = default;
  explicit EvalSettings(std::vector<rules::Setting> settings);
  // Every value given for `key` (lower case), in order.
  std::vector<std::string_view> values(std::string_view key) const;
  // Every blank-separated word of every value given for `key`, in order.
  std::vector<std::string> words(std::string_view key) const;
  // The last value given for `key`, or `fallback`.
  std::string_view last(std::string_view key, std::string_view fallback = {}) const;
  const std::vector<rules::Setting>& all() const { return settings_; }

 private:
  std::vector<rules::Setting> settings_;
  // Positions in settings_ per key, in order: the stock files hold thousands of settings, and
  // evals look keys up for every message.
  std::map<std::string, std::vector<size_t>, std::less<>> byKey_;
};

}  // namespace portcullis::content::evals
