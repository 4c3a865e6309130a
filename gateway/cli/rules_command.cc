#include "gateway/cli/rules_command.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>

#include "rules/engine/compiled_rules.h"
#include "rules/engine/inline_tests.h"

namespace portcullis::cli {
namespace {

void usage() {
  std::cerr
      << "usage: portcullis rules lint [--score-set N] [--cache DIR] [--verbose] FILE|DIR...\n"
         "       portcullis rules list [--score-set N] [--cache DIR] FILE|DIR...\n"
         "       portcullis rules test [--score-set N] [--cache DIR] FILE|DIR...\n";
}

void printReport(const rules::CompiledRules& compiled, bool verbose) {
  const auto& rep = compiled.report();
  std::printf("%-8s %8s %10s %10s %12s %6s %9s %6s %12s %8s %11s %7s\n", "type", "defined",
              "hyperscan", "prefilter", "full-engine", "meta", "disabled", "eval", "unsupported",
              "invalid", "needs-unsup", "exists");
  auto row = [](const char* name, const rules::TargetCounts& c) {
    std::printf("%-8s %8d %10d %10d %12d %6d %9d %6d %12d %8d %11d %7d\n", name, c.defined,
                c.direct, c.prefilter, c.fullOnly, c.meta, c.disabled, c.eval, c.unsupported,
                c.invalid, c.dependsOnUnsupported, c.exists);
  };
  rules::TargetCounts total;
  for (int t = 0; t < rules::kTargetCount; ++t) {
    const auto& c = rep.byTarget[static_cast<size_t>(t)];
    row(rules::targetName(static_cast<rules::Target>(t)), c);
    total += c;
  }
  row("total", total);
  std::printf(
      "(disabled: score 0 in score set %d, not run, as in SpamAssassin; needs-unsup: a meta "
      "over a rule that does not run; exists: header presence tests)\n",
      compiled.scoreSet());

  // The unsupported list: every reason once with its rules; eval rules counted by rule type.
  std::map<std::string, std::vector<const rules::SkippedRule*>> byReason;
  std::map<std::string, int> evalByKind;
  for (const auto& s : rep.skipped) {
    const rules::Rule* r = compiled.find(s.name);
    if (r && r->support == rules::Support::Eval) {
      ++evalByKind[s.kind];
      continue;
    }
    std::string key = s.reason;
    if (key.rfind("depends on", 0) == 0) key = "meta over a rule that does not run";
    byReason[key].push_back(&s);
  }
  if (!evalByKind.empty()) {
    std::printf("\nunsupported: eval: rules (SpamAssassin Perl code):");
    for (const auto& [kind, n] : evalByKind) std::printf(" %s %d", kind.c_str(), n);
    std::printf("\n");
  }
  for (const auto& [reason, list] : byReason) {
    std::printf("\nnot run: %s (%zu)\n", reason.c_str(), list.size());
    size_t shown = 0;
    for (const auto* s : list) {
      if (!verbose && ++shown > 10) {
        std::printf("  ... %zu more (--verbose lists all)\n", list.size() - 10);
        break;
      }
      std::printf("  %s  %s:%d", s->name.c_str(), s->file.c_str(), s->line);
      if (reason != s->reason) std::printf("  (%s)", s->reason.c_str());
      std::printf("\n");
    }
  }
  std::printf("\ncompile: %.2f s\n", rep.compileSeconds);
}

}  // namespace

int rulesCommand(const std::vector<std::string>& args) {
  if (args.empty() || (args[0] != "lint" && args[0] != "test" && args[0] != "list")) {
    usage();
    return 4;
  }
  const bool lint = args[0] == "lint";
  const bool quietErrors = args[0] == "list";
  rules::CompileOptions options;
  bool verbose = false;
  std::vector<std::string> paths;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if ((a == "--score-set" || a == "--cache") && i + 1 < args.size()) {
      const std::string& v = args[++i];
      if (a == "--cache") {
        options.cacheDir = v;
      } else {
        if (v.size() != 1 || v[0] < '0' || v[0] > '3')
          return std::cerr << "portcullis rules: --score-set takes 0-3\n", 4;
        options.scoreSet = v[0] - '0';
      }
    } else if (a == "--verbose") {
      verbose = true;
    } else if (a.starts_with("-")) {
      std::cerr << "portcullis rules: unknown option " << a << "\n";
      return 4;
    } else {
      paths.push_back(a);
    }
  }
  if (paths.empty()) {
    usage();
    return 4;
  }
  rules::RuleFileParser parser;
  for (const auto& p : paths) parser.addPath(p);
  rules::ParsedRules parsed = parser.finish();
  const size_t errors = parsed.errors.size();
  for (const auto& e : parsed.errors)
    (quietErrors ? std::cerr : std::cout) << e.str() << ": error\n";
  for (const auto& w : parsed.warnings)
    (quietErrors ? std::cerr : std::cout) << w.str() << ": warning\n";
  if (lint) {
    std::printf("%zu files, %zu rules, %zu errors, %zu warnings\n", parsed.files.size(),
                parsed.rules.size(), errors, parsed.warnings.size());
    if (!parsed.ignored.empty()) {
      std::vector<std::pair<int, std::string>> top;
      int total = 0;
      for (const auto& [k, n] : parsed.ignored) top.push_back({n, k}), total += n;
      std::sort(top.rbegin(), top.rend());
      std::printf("settings that are not rules, ignored: %d (", total);
      for (size_t i = 0; i < top.size() && i < 8; ++i)
        std::printf("%s%s %d", i ? ", " : "", top[i].second.c_str(), top[i].first);
      std::printf("%s)\n", top.size() > 8 ? ", ..." : "");
    }
  }
  std::string error;
  auto compiled = rules::CompiledRules::compile(std::move(parsed), options, &error);
  if (!compiled) {
    std::cout << "rules: " << error << "\n";
    return 1;
  }
  if (lint) {
    printReport(*compiled, verbose);
    return errors ? 1 : 0;
  }
  if (args[0] == "list") {
    // One line per rule: name, type, how it runs (or "not-run" and why), score.
    const auto& all = compiled->rules();
    for (size_t i = 0; i < all.size(); ++i) {
      const auto& r = all[i];
      std::string how =
          r.support != rules::Support::Ok ? "not-run"
          : r.target == rules::Target::Meta && compiled->path(i) != rules::MatchPath::NotRun
              ? "meta"
              : rules::matchPathName(compiled->path(i));
      std::printf("%s\t%s\t%s\t%.3f\t%s\n", r.name.c_str(), rules::targetName(r.target),
                  how.c_str(), r.score(compiled->scoreSet()), r.reason.c_str());
    }
    return errors ? 1 : 0;
  }
  int passed = 0, failed = 0, notRun = 0;
  for (const auto& r : rules::runInlineTests(*compiled)) {
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
  return failed || errors ? 1 : 0;
}

}  // namespace portcullis::cli
