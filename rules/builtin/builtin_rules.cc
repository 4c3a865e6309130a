#include "rules/builtin/builtin_rules.h"

#include <map>

namespace portcullis::rules {

// Defined in the source rules/CMakeLists.txt generates from rules/shipped/*.cf.
const std::vector<BuiltinFile>& shippedRuleFiles();

namespace {

const std::map<std::string, const std::vector<BuiltinFile>*, std::less<>>& sets() {
  static const std::map<std::string, const std::vector<BuiltinFile>*, std::less<>> all = {
      {"shipped", &shippedRuleFiles()}};
  return all;
}

}  // namespace

const std::vector<BuiltinFile>* builtinRuleSet(std::string_view name) {
  auto it = sets().find(name);
  return it == sets().end() ? nullptr : it->second;
}

std::vector<std::string> builtinRuleSetNames() {
  std::vector<std::string> names;
  for (const auto& [name, files] : sets()) names.push_back(name);
  return names;
}

void addRuleSource(RuleFileParser& parser, const std::string& source) {
  if (!source.starts_with(kBuiltinPrefix)) return parser.addPath(source);
  const std::string name = source.substr(kBuiltinPrefix.size());
  const auto* files = builtinRuleSet(name);
  // Not a set we have: read as a path, which fails with the entry named in the error.
  if (!files) return parser.addPath(source);
  for (const auto& f : *files)
    parser.addText(std::string(f.text), source + "/" + std::string(f.name));
}

}  // namespace portcullis::rules
