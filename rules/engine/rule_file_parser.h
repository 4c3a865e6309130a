// Reads rule files in SpamAssassin's syntax into rules. Knows the directives that define or
// decorate rules; every other SpamAssassin setting is counted and ignored.
#pragma once
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "rules/engine/rule.h"

namespace portcullis::rules {

struct Diagnostic {
  std::string file;
  int line = 0;
  std::string message;
  std::string str() const;
};

struct ParseOptions {
  // Plugins `ifplugin` and `plugin()` treat as loaded. The default is the set Debian's
  // spamassassin 4.0 loads from /etc/spamassassin/*.pre, so that stock rule files take the
  // same branches they take in SpamAssassin; `loadplugin` lines add to it.
  std::set<std::string> plugins = defaultPlugins();
  static std::set<std::string> defaultPlugins();
};

// A setting line that defines no rule (`freemail_domains ...`, `trusted_networks ...`): kept
// for the evals and the relay analysis that read them.
struct Setting {
  std::string key;  // lower case, '-' read as '_'
  std::string value;
  std::string file;
  int line = 0;
};

struct ParsedRules {
  std::vector<Rule> rules;             // each name once, in order of first definition
  std::vector<Diagnostic> errors;      // lines that could not be read (rule skipped)
  std::vector<Diagnostic> warnings;    // e.g. a meta naming an undefined rule
  std::map<std::string, int> ignored;  // settings that are not rules: directive -> count
  std::vector<Setting> settings;       // the same settings, in the order read
  std::vector<std::string> files;      // every file read, includes too
};

class RuleFileParser {
 public:
  explicit RuleFileParser(ParseOptions options = {});
  // A file, or a directory whose *.pre then *.cf files are read in name order.
  void addPath(const std::string& path);
  // Rule text not from a file (tests); `name` stands in for the file name in diagnostics.
  void addText(const std::string& text, const std::string& name);
  // Applies scores, descriptions, tflags and replace_tags, and checks metas.
  ParsedRules finish();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace portcullis::rules
