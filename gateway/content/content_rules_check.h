// Data stage: the content rules (SpamAssassin syntax, compiled by rules/) run over the message
// rendered as SpamAssassin renders it; every hit becomes a symbol with the rule's score and
// description.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "gateway/content/evals/eval_registry.h"
#include "gateway/content/relays/relay_analysis.h"
#include "gateway/core/check.h"
#include "gateway/core/error.h"
#include "gateway/dns/resolver.h"
#include "gateway/mime/message.h"
#include "rules/engine/compiled_rules.h"

namespace portcullis::content {

class MessageScan;

struct RulesSettings {
  // Rule files, directories and built-in sets ("builtin:shipped"), in reading order
  // (config::ruleSourcePaths decides it).
  std::vector<std::string> paths;
  // The score set: -1 chooses from what runs (1 when network evals run, else 0; Bayes, sets
  // 2 and 3, is not yet).
  int scoreSet = -1;
  std::string cacheDir;            // compiled databases kept here between runs ("" = none)
  // Network evals run (SpamAssassin's default; false is its -L). The gateway turns them off
  // when its resolver does not answer (SpamAssassin's dns_available test).
  bool networkTests = true;
  // SpamAssassin's trusted_networks / internal_networks, added to what the rule files say.
  std::vector<std::string> trustedNetworks, internalNetworks;
};

struct LoadedRules {
  std::shared_ptr<const rules::CompiledRules> rules;
  // The eval functions the rules call, configured by the files' settings.
  std::shared_ptr<const evals::EvalRegistry> evals;
  std::shared_ptr<const evals::EvalSettings> settings;
  // Where the message's path stops being trusted / internal (relay analysis).
  std::shared_ptr<const relays::TrustSettings> trust;
  std::vector<core::SourceError> errors;  // any error: the set must not replace a running one
  std::vector<std::string> warnings;
};

// Reads and compiles the configured rule files. Slow for large sets on a cold cache: callers
// do it off the event loop (start-up, SIGHUP reload, CLI).
LoadedRules loadRules(const RulesSettings& settings);

// One message through a loaded rule set, regex and eval rules, as every front door runs it.
rules::ScanResult scanMessage(const LoadedRules& loaded, std::string_view raw,
                              const mime::Message& message, evals::Envelope envelope,
                              bool explain = false, bool* outOfTime = nullptr);

class ContentRulesCheck final : public core::Check {
 public:
  // `timeLimitScore`: the score of SCAN_TIME_LIMIT, added when the message's work budget
  // (limits.maxScanTime) ran out before every rule was run. `resolver` answers the network
  // evals' lookups (null: network evals do not hit).
  ContentRulesCheck(const LoadedRules& loaded, mime::Limits limits, double timeLimitScore = 2.0,
                    std::shared_ptr<dns::Resolver> resolver = nullptr)
      : rules_(loaded.rules),
        evals_(loaded.evals),
        settings_(loaded.settings),
        trust_(loaded.trust),
        limits_(limits),
        timeLimitScore_(timeLimitScore),
        resolver_(std::move(resolver)) {}
  std::string_view name() const override { return "content_rules"; }
  core::Stage stage() const override { return core::Stage::Data; }
  void run(const core::CheckContext& ctx, core::StageOutcome& out,
           std::function<void()> done) const override;
  const rules::CompiledRules& compiled() const { return *rules_; }

 private:
  std::shared_ptr<const rules::CompiledRules> rules_;
  std::shared_ptr<const evals::EvalRegistry> evals_;
  std::shared_ptr<const evals::EvalSettings> settings_;
  std::shared_ptr<const relays::TrustSettings> trust_;
  mime::Limits limits_;
  double timeLimitScore_;
  std::shared_ptr<dns::Resolver> resolver_;

  void report(MessageScan& scan, const mime::Message& message, const core::CheckContext& ctx,
              core::StageOutcome& out) const;
};

}  // namespace portcullis::content
