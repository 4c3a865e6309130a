#include "gateway/content/content_rules_check.h"

#include <algorithm>

#include "gateway/content/sa_text.h"
#include "rules/builtin/builtin_rules.h"

namespace portcullis::content {

LoadedRules loadRules(const RulesSettings& settings) {
  LoadedRules out;
  rules::RuleFileParser parser;
  for (const auto& p : settings.paths) rules::addRuleSource(parser, p);  // builtin:NAME too
  rules::ParsedRules parsed = parser.finish();
  for (const auto& e : parsed.errors) out.errors.push_back({e.file, e.line, e.message});
  for (const auto& w : parsed.warnings) out.warnings.push_back(w.str());
  if (!out.errors.empty()) return out;
  out.settings = std::make_shared<const evals::EvalSettings>(parsed.settings);
  out.evals = evals::buildEvalRegistry(*out.settings);
  rules::CompileOptions options;
  options.scoreSet = settings.scoreSet;
  options.cacheDir = settings.cacheDir;
  options.evals = out.evals.get();
  options.networkTests = settings.networkTests;
  std::string error;
  out.rules = rules::CompiledRules::compile(std::move(parsed), options, &error);
  if (!out.rules) out.errors.push_back({"", 0, "rules: " + error});
  return out;
}

rules::ScanResult scanMessage(const LoadedRules& loaded, std::string_view raw,
                              const mime::Message& message, evals::Envelope envelope, bool explain,
                              bool* outOfTime) {
  SaMessageText text(raw, message, envelope.mailFrom);
  relays::RelayPath path;
  static const evals::EvalSettings noSettings;
  evals::EvalContext context(raw, message, text, path,
                             loaded.settings ? *loaded.settings : noSettings, std::move(envelope));
  std::optional<evals::MessageEvals> scope;
  if (loaded.evals) scope.emplace(*loaded.evals, context);
  rules::ScanResult result = loaded.rules->scan(
      text, explain, [&message] { return message.budget.exhausted(); }, scope ? &*scope : nullptr);
  if (outOfTime) *outOfTime = text.outOfTime();
  return result;
}

void ContentRulesCheck::run(const core::CheckContext& ctx, core::StageOutcome& out,
                            std::function<void()> done) const {
  if (ctx.tx) {
    const mime::Message& message = ctx.tx->mimeView(limits_);
    evals::Envelope envelope;
    if (!ctx.tx->mailFrom.null) envelope.mailFrom = ctx.tx->mailFrom.str();
    for (const auto& r : ctx.tx->recipients) envelope.recipients.push_back(r.address.str());
    envelope.clientIp = ctx.session.clientIp;
    if (ctx.session.clientName != "unknown") envelope.clientName = ctx.session.clientName;
    envelope.helo = ctx.session.helo;
    LoadedRules loaded;
    loaded.rules = rules_;
    loaded.evals = evals_;
    loaded.settings = settings_;
    bool outOfTime = false;
    rules::ScanResult result =
        scanMessage(loaded, ctx.tx->message, message, std::move(envelope), false, &outOfTime);
    if (result.stopped || outOfTime) {
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
