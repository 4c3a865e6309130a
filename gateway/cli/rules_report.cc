#include "gateway/cli/rules_report.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>

#include "gateway/core/json.h"
#include "rules/engine/meta_expression.h"

namespace portcullis::cli {
namespace {

using rules::CompiledRules;
using rules::MatchPath;
using rules::Rule;
using rules::Support;

// Rule types of SpamAssassin's DNS plugins (URIDNSBL, AskDNS): network tests by definition.
bool networkPluginKind(const std::string& kind) {
  static const std::set<std::string> kinds = {"askdns",         "urirhsbl",        "urirhssub",
                                              "uridnsbl",       "urinsrhsbl",      "urinsrhssub",
                                              "urifullnsrhsbl", "urifullnsrhssub", "urianydnsbl"};
  return kinds.contains(kind);
}

// Facts about each rule of a compiled set that the report needs: which are not local, which
// eval function blocks which rules.
class RuleFacts {
 public:
  explicit RuleFacts(const content::LoadedRules& loaded) : all_(loaded.rules->rules()) {
    for (size_t i = 0; i < all_.size(); ++i) byName_.emplace(all_[i].name, i);
    deps_.resize(all_.size());
    for (size_t i = 0; i < all_.size(); ++i) {
      if (all_[i].target != rules::Target::Meta) continue;
      rules::MetaExpression e;
      std::string error;
      if (!e.parse(all_[i].metaExpr, &error)) continue;
      for (const auto& n : e.names())
        if (auto it = byName_.find(n); it != byName_.end()) deps_[i].push_back(it->second);
    }
    nonLocal_.assign(all_.size(), -1);
    for (size_t i = 0; i < all_.size(); ++i) {
      const Rule& r = all_[i];
      const bool net = r.hasFlag("net") || networkPluginKind(r.kind) ||
                       (!r.eval.function.empty() && loaded.evals &&
                        loaded.evals->kind(r.eval) == rules::EvalKind::Network);
      const bool bayes = r.hasFlag("learn") || r.eval.function == "check_bayes";
      if (net || bayes) nonLocal_[i] = 1;
    }
  }

  const std::vector<Rule>& rules() const { return all_; }

  // Local: needs no network and no Bayes. A meta is not local when every rule it reads is not.
  bool local(size_t i) {
    if (nonLocal_[i] >= 0) return nonLocal_[i] == 0;
    nonLocal_[i] = 0;  // a cycle reads as local (the compiler refuses cyclic metas anyway)
    if (all_[i].target == rules::Target::Meta && !deps_[i].empty()) {
      bool anyLocal = false;
      for (size_t d : deps_[i]) anyLocal = anyLocal || local(d);
      nonLocal_[i] = anyLocal ? 0 : 1;
    }
    return nonLocal_[i] == 0;
  }

  // The missing eval functions a rule waits for ("" entries: something else blocks it, e.g.
  // an unsupported rule type). A rule that runs waits for nothing.
  const std::set<std::string>& blockers(size_t i) {
    if (auto it = blockers_.find(i); it != blockers_.end()) return it->second;
    auto& out = blockers_[i];
    const Rule& r = all_[i];
    if (r.support == Support::Eval)
      out.insert(r.eval.function);
    else if (r.support == Support::DependsOnUnsupported)
      for (size_t d : deps_[i])
        for (const auto& b : blockers(d)) out.insert(b);
    else if (r.support != Support::Ok)
      out.insert("");
    return out;
  }

 private:
  const std::vector<Rule>& all_;
  std::unordered_map<std::string, size_t> byName_;
  std::vector<std::vector<size_t>> deps_;
  std::vector<int> nonLocal_;
  std::unordered_map<size_t, std::set<std::string>> blockers_;
};

struct Figures {
  // Missing eval function -> rules it alone would enable (its own rules and the metas
  // waiting only for it), most first.
  std::vector<std::pair<std::string, int>> missing;
  int localTotal = 0, localRun = 0;
};

Figures figures(const content::LoadedRules& loaded) {
  RuleFacts facts(loaded);
  const CompiledRules& compiled = *loaded.rules;
  const int set = compiled.scoreSet();
  Figures f;
  std::map<std::string, int> enable;
  for (size_t i = 0; i < facts.rules().size(); ++i) {
    const Rule& r = facts.rules()[i];
    // Scored rules with a score in this set: what SpamAssassin itself would run.
    const bool counted = !r.isSubRule() && r.score(set) != 0;
    if (r.support == Support::Eval || r.support == Support::DependsOnUnsupported) {
      const auto& b = facts.blockers(i);
      if (b.size() == 1 && !b.begin()->empty() && (counted || r.support == Support::Eval))
        ++enable[*b.begin()];
    }
    if (!counted || !facts.local(i)) continue;
    ++f.localTotal;
    if (compiled.path(i) != MatchPath::NotRun) ++f.localRun;
  }
  for (const auto& [name, n] : enable) f.missing.push_back({name, n});
  std::stable_sort(f.missing.begin(), f.missing.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return f;
}

const char* kLocalDefinition =
    "local: not a network test (tflags net, a network eval, a DNS plugin rule type such as "
    "urirhssub/askdns), not Bayes (check_bayes, tflags learn), not a meta over only such "
    "rules; counted: rules that are not __sub-rules and score non-zero in the score set";

}  // namespace

void printLintReport(const content::LoadedRules& loaded, const LintSummary& s, bool verbose) {
  const CompiledRules& compiled = *loaded.rules;
  const auto& rep = compiled.report();
  std::printf("%zu files, %zu rules, %zu errors, %zu warnings\n", s.files, s.rules, s.errors,
              s.warnings);
  if (!s.ignored.empty()) std::printf("%s\n", s.ignored.c_str());
  std::printf("%-8s %8s %10s %10s %12s %6s %9s %6s %12s %8s %11s %7s %9s %8s\n", "type", "defined",
              "hyperscan", "prefilter", "full-engine", "meta", "disabled", "eval", "unsupported",
              "invalid", "needs-unsup", "exists", "eval-run", "net-off");
  auto row = [](const char* name, const rules::TargetCounts& c) {
    std::printf("%-8s %8d %10d %10d %12d %6d %9d %6d %12d %8d %11d %7d %9d %8d\n", name, c.defined,
                c.direct, c.prefilter, c.fullOnly, c.meta, c.disabled, c.eval, c.unsupported,
                c.invalid, c.dependsOnUnsupported, c.exists, c.evalRun, c.networkOff);
  };
  rules::TargetCounts total;
  for (int t = 0; t < rules::kTargetCount; ++t) {
    const auto& c = rep.byTarget[static_cast<size_t>(t)];
    row(rules::targetName(static_cast<rules::Target>(t)), c);
    total += c;
  }
  row("total", total);
  std::printf(
      "(score set %d. disabled: score 0 in it, not run, as in SpamAssassin; eval: eval rules "
      "whose function is missing; eval-run: eval rules that run; net-off: network evals left "
      "out, network tests off; needs-unsup: a meta over a rule that does not run; exists: "
      "header presence tests)\n",
      compiled.scoreSet());

  const Figures f = figures(loaded);
  std::printf("\n%d of %d local rules run (%.1f%%)\n  (%s)\n", f.localRun, f.localTotal,
              f.localTotal ? 100.0 * f.localRun / f.localTotal : 0.0, kLocalDefinition);
  if (!f.missing.empty()) {
    std::printf("\nevals still missing (%zu functions; rules each would enable):\n",
                f.missing.size());
    size_t shown = 0;
    for (const auto& [name, n] : f.missing) {
      if (!verbose && ++shown > 25) {
        std::printf("  ... %zu more (--verbose lists all)\n", f.missing.size() - 25);
        break;
      }
      std::printf("  %-40s %d\n", name.c_str(), n);
    }
  }

  // Everything else that does not run, each reason once with its rules.
  std::map<std::string, std::vector<const rules::SkippedRule*>> byReason;
  for (const auto& sk : rep.skipped) {
    const Rule* r = compiled.find(sk.name);
    if (r && r->support == Support::Eval) continue;  // listed above, by function
    std::string key = sk.reason;
    if (key.rfind("depends on", 0) == 0) key = "meta over a rule that does not run";
    byReason[key].push_back(&sk);
  }
  for (const auto& [reason, list] : byReason) {
    std::printf("\nnot run: %s (%zu)\n", reason.c_str(), list.size());
    size_t shown = 0;
    for (const auto* sk : list) {
      if (!verbose && ++shown > 10) {
        std::printf("  ... %zu more (--verbose lists all)\n", list.size() - 10);
        break;
      }
      std::printf("  %s  %s:%d", sk->name.c_str(), sk->file.c_str(), sk->line);
      if (reason != sk->reason) std::printf("  (%s)", sk->reason.c_str());
      std::printf("\n");
    }
  }
  std::printf("\ncompile: %.2f s\n", rep.compileSeconds);
}

void printLintJson(const content::LoadedRules& loaded, const LintSummary& s) {
  const CompiledRules& compiled = *loaded.rules;
  const auto& rep = compiled.report();
  using core::jsonString;
  std::string out =
      "{\"files\":" + std::to_string(s.files) + ",\"rules\":" + std::to_string(s.rules) +
      ",\"errors\":" + std::to_string(s.errors) + ",\"warnings\":" + std::to_string(s.warnings) +
      ",\"score_set\":" + std::to_string(compiled.scoreSet()) + ",\"types\":{";
  for (int t = 0; t < rules::kTargetCount; ++t) {
    const auto& c = rep.byTarget[static_cast<size_t>(t)];
    char buf[512];
    std::snprintf(buf, sizeof buf,
                  "%s%s:{\"defined\":%d,\"hyperscan\":%d,\"prefilter\":%d,\"full_engine\":%d,"
                  "\"meta\":%d,\"disabled\":%d,\"eval_missing\":%d,\"unsupported\":%d,"
                  "\"invalid\":%d,\"needs_unsupported\":%d,\"exists\":%d,\"eval_run\":%d,"
                  "\"network_off\":%d}",
                  t ? "," : "",
                  jsonString(rules::targetName(static_cast<rules::Target>(t))).c_str(), c.defined,
                  c.direct, c.prefilter, c.fullOnly, c.meta, c.disabled, c.eval, c.unsupported,
                  c.invalid, c.dependsOnUnsupported, c.exists, c.evalRun, c.networkOff);
    out += buf;
  }
  const Figures f = figures(loaded);
  out += "},\"local_rules\":" + std::to_string(f.localTotal) +
         ",\"local_rules_run\":" + std::to_string(f.localRun) + ",\"missing_evals\":[";
  for (size_t i = 0; i < f.missing.size(); ++i)
    out += std::string(i ? "," : "") + "{\"function\":" + jsonString(f.missing[i].first) +
           ",\"rules\":" + std::to_string(f.missing[i].second) + "}";
  out += "]}";
  std::printf("%s\n", out.c_str());
}

}  // namespace portcullis::cli
