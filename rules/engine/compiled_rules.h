// A rule set compiled for matching: one Hyperscan database per target, full-engine
// confirmation where Hyperscan only prefilters, and metas evaluated in dependency order.
// Immutable and shared between threads; each thread scans with its own Hyperscan scratch.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "rules/engine/eval.h"
#include "rules/engine/message_text.h"
#include "rules/engine/rule.h"
#include "rules/engine/rule_file_parser.h"

namespace portcullis::rules {

// How a regex rule is run.
enum class MatchPath {
  Direct,     // Hyperscan decides alone
  Prefilter,  // Hyperscan HS_FLAG_PREFILTER finds candidates, the full engine confirms
  FullOnly,   // Hyperscan cannot take it at all: the full engine scans every text
  Eval,       // an eval function the caller implements (EvalScope)
  NotRun,     // disabled (score 0), meta, or unsupported
};
const char* matchPathName(MatchPath p);

struct TargetCounts {
  int defined = 0;                                        // rules of this type in the files
  int direct = 0, prefilter = 0, fullOnly = 0, meta = 0;  // regex rules and metas that run
  int exists = 0;    // `exists:` header tests that run (no regex)
  int evalRun = 0;   // eval rules whose function the caller implements, running
  int networkOff = 0;  // network evals, not run because network tests are off
  int disabled = 0;  // score 0 in the chosen score set: SpamAssassin does not run them
  int eval = 0, unsupported = 0, invalid = 0, dependsOnUnsupported = 0;

  TargetCounts& operator+=(const TargetCounts& o) {
    defined += o.defined, direct += o.direct, prefilter += o.prefilter, fullOnly += o.fullOnly;
    meta += o.meta, exists += o.exists, disabled += o.disabled, eval += o.eval;
    evalRun += o.evalRun, networkOff += o.networkOff;
    unsupported += o.unsupported, invalid += o.invalid,
        dependsOnUnsupported += o.dependsOnUnsupported;
    return *this;
  }
};

struct SkippedRule {
  std::string name;
  std::string kind;
  std::string file;
  int line = 0;
  std::string reason;
};

struct CompileReport {
  std::array<TargetCounts, kTargetCount> byTarget{};
  std::vector<SkippedRule> skipped;  // every rule that does not run, except score-0 ones
  double compileSeconds = 0;
};

struct CompileOptions {
  int scoreSet = 0;  // SpamAssassin score set: 0 local, 1 net, 2 bayes, 3 net+bayes
  // Where compiled databases are kept between runs (empty: none). Keyed by the patterns, so
  // a changed rule simply misses.
  std::string cacheDir;
  // Which eval functions exist (null: none; every eval rule is then skipped).
  const EvalCatalog* evals = nullptr;
  // SpamAssassin's -L when false: network evals do not run (metas read them as not hit).
  bool networkTests = false;
};

struct Hit {
  size_t rule = 0;
  int count = 0;
  std::string excerpt;  // with explain: the text that matched (first match)
};

struct ScanResult {
  std::vector<Hit> hits;  // sub-rules (__NAME) included; callers usually skip them
  double score = 0;       // sum over hit rules that are not sub-rules
  // The caller's stop condition ended the scan early: the hits are those found by then; metas
  // were not evaluated (on half the facts they would decide falsely).
  bool stopped = false;
};

// Asked between units of work (a text buffer, a rule confirmation, a header); true stops the
// scan. Empty: never stop.
using ScanStop = std::function<bool()>;

class CompiledRules {
 public:
  // Fails only if Hyperscan cannot build a database at all; rule-level problems end up in
  // the report.
  static std::shared_ptr<const CompiledRules> compile(ParsedRules parsed,
                                                      const CompileOptions& options,
                                                      std::string* error);
  ~CompiledRules();
  CompiledRules(const CompiledRules&) = delete;
  CompiledRules& operator=(const CompiledRules&) = delete;

  const std::vector<Rule>& rules() const;
  const CompileReport& report() const;
  MatchPath path(size_t rule) const;
  int scoreSet() const;
  const Rule* find(std::string_view name) const;

  // Thread-safe. `explain` fills Hit::excerpt (costs one more regex run per hit).
  // `evals` runs the eval rules; without it they do not hit.
  ScanResult scan(const MessageText& text, bool explain = false, const ScanStop& stop = {},
                  const EvalScope* evals = nullptr) const;

  struct Impl;

 private:
  CompiledRules();
  std::unique_ptr<Impl> impl_;
};

}  // namespace portcullis::rules
