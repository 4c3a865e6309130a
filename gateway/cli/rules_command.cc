#include "gateway/cli/rules_command.h"

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "gateway/cli/config_args.h"
#include "gateway/cli/rules_report.h"
#include "gateway/config/system_config.h"
#include "rules/builtin/builtin_rules.h"
#include "rules/engine/inline_tests.h"

namespace portcullis::cli {
namespace {

void usage() {
  std::cerr << "usage: portcullis rules lint|list|test [--config FILE] [-o key=value]... "
               "[--score-set N] [--cache DIR]\n"
               "                        [--verbose] [--json] [FILE|DIR|builtin:NAME]...\n"
               "With no FILE, the rule set the gateway loads (its config's [rules]).\n";
}

// The parse alone, for the summary line (files read, settings ignored) and the errors with
// file and line; loadRules() below parses again to compile.
LintSummary summarize(const std::vector<std::string>& paths, bool printDiagnostics,
                      std::ostream& out) {
  rules::RuleFileParser parser;
  for (const auto& p : paths) rules::addRuleSource(parser, p);
  rules::ParsedRules parsed = parser.finish();
  if (printDiagnostics) {
    for (const auto& e : parsed.errors) out << e.str() << ": error\n";
    for (const auto& w : parsed.warnings) out << w.str() << ": warning\n";
  }
  LintSummary s{parsed.files.size(), parsed.rules.size(), parsed.errors.size(),
                parsed.warnings.size(), ""};
  if (!parsed.ignored.empty()) {
    std::vector<std::pair<int, std::string>> top;
    int total = 0;
    for (const auto& [k, n] : parsed.ignored) top.push_back({n, k}), total += n;
    std::sort(top.rbegin(), top.rend());
    s.ignored = "settings that are not rules, ignored: " + std::to_string(total) + " (";
    for (size_t i = 0; i < top.size() && i < 8; ++i)
      s.ignored += (i ? ", " : "") + top[i].second + " " + std::to_string(top[i].first);
    s.ignored += top.size() > 8 ? ", ...)" : ")";
  }
  return s;
}

}  // namespace

int rulesCommand(const std::vector<std::string>& args) {
  if (args.empty() || (args[0] != "lint" && args[0] != "test" && args[0] != "list")) {
    usage();
    return 4;
  }
  const std::string verb = args[0];
  ConfigArgs configArgs;
  std::optional<int> scoreSet;
  std::optional<std::string> cacheDir;
  bool verbose = false, json = false;
  std::vector<std::string> paths;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    const auto taken = takeConfigArg(args, i, configArgs, "portcullis rules");
    if (taken == ArgTaken::Error) return 4;
    if (taken == ArgTaken::Yes) continue;
    if ((a == "--score-set" || a == "--cache") && i + 1 < args.size()) {
      const std::string& v = args[++i];
      if (a == "--cache") {
        cacheDir = v;
      } else {
        if (v.size() != 1 || v[0] < '0' || v[0] > '3')
          return std::cerr << "portcullis rules: --score-set takes 0-3\n", 4;
        scoreSet = v[0] - '0';
      }
    } else if (a == "--verbose") {
      verbose = true;
    } else if (a == "--json" && verb == "lint") {
      json = true;
    } else if (a.starts_with("-")) {
      std::cerr << "portcullis rules: unknown option " << a << "\n";
      return 4;
    } else {
      paths.push_back(a);
    }
  }
  // The same settings the gateway loads its rules with: the same files (SpamAssassin's
  // layering, rules.paths), score set, network tests and cache, unless given here.
  auto config = config::load(config::effectiveConfigPath(configArgs.path), configArgs.overrides);
  if (!config.config) {
    for (const auto& e : config.errors) std::cerr << e.str() << "\n";
    return 4;
  }
  content::RulesSettings settings = config.config->rules;
  if (!paths.empty()) settings.paths = paths;
  if (scoreSet) settings.scoreSet = *scoreSet;
  if (cacheDir) settings.cacheDir = *cacheDir;
  if (settings.paths.empty()) {
    std::cerr << "portcullis rules: no rule files (rules.paths is empty and SpamAssassin's "
                 "rules are off or not installed)\n";
    return 4;
  }

  const bool lint = verb == "lint";
  std::ostream& diagnostics = verb == "list" || json ? std::cerr : std::cout;
  const LintSummary summary = summarize(settings.paths, true, diagnostics);
  content::LoadedRules loaded = content::loadRules(settings);
  if (!loaded.rules) {
    // Parse errors were printed with file and line above; anything else (Hyperscan) here.
    for (const auto& e : loaded.errors)
      if (e.file.empty()) diagnostics << e.message << "\n";
    if (lint && !json)
      std::printf("%zu files, %zu rules, %zu errors, %zu warnings: not compiled\n", summary.files,
                  summary.rules, summary.errors, summary.warnings);
    return 1;
  }
  const auto& compiled = *loaded.rules;
  if (lint) {
    if (json)
      printLintJson(loaded, summary);
    else
      printLintReport(loaded, summary, verbose);
    return summary.errors ? 1 : 0;
  }
  if (verb == "list") {
    // One line per rule: name, type, how it runs (or "not-run" and why), score.
    const auto& all = compiled.rules();
    for (size_t i = 0; i < all.size(); ++i) {
      const auto& r = all[i];
      std::string how =
          r.support != rules::Support::Ok ? "not-run"
          : r.target == rules::Target::Meta && compiled.path(i) != rules::MatchPath::NotRun
              ? "meta"
              : rules::matchPathName(compiled.path(i));
      std::printf("%s\t%s\t%s\t%.3f\t%s\n", r.name.c_str(), rules::targetName(r.target),
                  how.c_str(), r.score(compiled.scoreSet()), r.reason.c_str());
    }
    return summary.errors ? 1 : 0;
  }
  int passed = 0, failed = 0, notRun = 0;
  for (const auto& r : rules::runInlineTests(compiled)) {
    if (!r.note.empty() && r.note.rfind("rule does not run", 0) == 0) {
      ++notRun;
      std::cout << r.file << ":" << r.line << ": " << r.rule << ": not run: " << r.note << "\n";
    } else if (r.note == "meta rules cannot be tested on a text") {
      ++notRun;
    } else if (r.passed) {
      ++passed;
    } else {
      ++failed;
      std::cout << r.file << ":" << r.line << ": " << r.rule << " " << (r.mustHit ? "ok" : "fail")
                << ": FAILED, " << r.note << "\n";
    }
  }
  std::printf("inline tests: %d passed, %d failed, %d not run\n", passed, failed, notRun);
  return failed || summary.errors ? 1 : 0;
}

}  // namespace portcullis::cli
