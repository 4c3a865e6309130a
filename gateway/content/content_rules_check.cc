#include "gateway/content/content_rules_check.h"

#include <algorithm>

#include "gateway/content/sa_text.h"

namespace portcullis::content {

LoadedRules loadRules(const RulesSettings& settings) {
  LoadedRules out;
  rules::RuleFileParser parser;
  for (const auto& p : settings.paths) parser.addPath(p);
  rules::ParsedRules parsed = parser.finish();
  for (const auto& e : parsed.errors) out.errors.push_back({e.file, e.line, e.message});
  for (const auto& w : parsed.warnings) out.warnings.push_back(w.str());
  if (!out.errors.empty()) return out;
  rules::CompileOptions options;
  options.scoreSet = settings.scoreSet;
  options.cacheDir = settings.cacheDir;
  std::string error;
  out.rules = rules::CompiledRules::compile(std::move(parsed), options, &error);
  if (!out.rules) out.errors.push_back({"", 0, "rules: " + error});
  return out;
}

void ContentRulesCheck::run(const core::CheckContext& ctx, core::StageOutcome& out,
                            std::function<void()> done) const {
  if (ctx.tx) {
    const mime::Message& message = ctx.tx->mimeView(limits_);
    std::optional<std::string> envelopeFrom;
    if (!ctx.tx->mailFrom.null) envelopeFrom = ctx.tx->mailFrom.str();
    SaMessageText text(ctx.tx->message, message, envelopeFrom);
    rules::ScanResult result =
        rules_->scan(text, false, [&message] { return message.budget.exhausted(); });
    if (result.stopped || text.outOfTime()) {
      // Once per message: mime_structure reports the parse running out, when it runs.
      const auto& a = message.anomalies;
      const bool reported = std::find(a.begin(), a.end(), "SCAN_TIME_LIMIT") != a.end() &&
                            ctx.policy.runs("mime_structure");
      if (!reported)
        out.symbols.push_back({"SCAN_TIME_LIMIT", timeLimitScore_,
                               "content rules stopped: the message's scan time ran out",
                               core::Stage::Data});
    }
    const auto& all = rules_->rules();
    for (const auto& hit : result.hits) {
      const rules::Rule& r = all[hit.rule];
      if (r.isSubRule()) continue;
      out.symbols.push_back(
          {r.name, r.score(rules_->scoreSet()), r.description, core::Stage::Data});
    }
  }
  done();
}

}  // namespace portcullis::content
