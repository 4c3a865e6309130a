#include "gateway/content/content_rules_check.h"

#include <algorithm>

#include "gateway/content/message_scan.h"
#include "gateway/content/sa_text.h"
#include "gateway/firewall/lookup_join.h"
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
  std::vector<std::string> trustErrors;
  out.trust = std::make_shared<const relays::TrustSettings>(relays::trustSettingsFrom(
      parsed.settings, settings.trustedNetworks, settings.internalNetworks, &trustErrors));
  for (auto& e : trustErrors) {
    // The configuration's own lists must be right; a rule file's entry is skipped with a
    // warning, as SpamAssassin does.
    if (e.starts_with("rules."))
      out.errors.push_back({"", 0, e});
    else
      out.warnings.push_back(e);
  }
  if (!out.errors.empty()) return out;
  out.evals = evals::buildEvalRegistry(*out.settings);
  rules::CompileOptions options;
  // SpamAssassin's choice: set 1 when network tests run (they do when some rule asks for one),
  // set 0 otherwise; sets 2 and 3 need Bayes.
  bool networkRuns = false;
  if (settings.networkTests)
    for (const auto& r : parsed.rules)
      if (r.support == rules::Support::Eval && out.evals->kind(r.eval) == rules::EvalKind::Network)
        networkRuns = true;
  options.scoreSet = settings.scoreSet >= 0 ? settings.scoreSet : (networkRuns ? 1 : 0);
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
  MessageScan scan(loaded, raw, message, std::move(envelope));
  rules::ScanResult result = scan.run(explain);
  if (outOfTime) *outOfTime = scan.outOfTime();
  return result;
}

void ContentRulesCheck::run(const core::CheckContext& ctx, core::StageOutcome& out,
                            std::function<void()> done) const {
  if (!ctx.tx) return done();
  const mime::Message& message = ctx.tx->mimeView(limits_);
  evals::Envelope envelope;
  if (!ctx.tx->mailFrom.null) envelope.mailFrom = ctx.tx->mailFrom.str();
  for (const auto& r : ctx.tx->recipients) envelope.recipients.push_back(r.address.str());
  envelope.clientIp = ctx.session.clientIp;
  if (ctx.session.clientName != "unknown") envelope.clientName = ctx.session.clientName;
  envelope.helo = ctx.session.helo;
  envelope.milter = ctx.session.frontDoor == core::FrontDoor::Milter;
  envelope.facts = ctx.tx->facts;
  LoadedRules loaded;
  loaded.rules = rules_;
  loaded.evals = evals_;
  loaded.settings = settings_;
  loaded.trust = trust_;
  auto scan = std::make_shared<MessageScan>(loaded, ctx.tx->message, message, std::move(envelope));
  std::vector<evals::DnsLookup> lookups = scan->lookups();
  if (lookups.empty() || !resolver_ || !ctx.post) {
    report(*scan, message, ctx, out);
    return done();
  }
  // Network evals: every lookup at once through the shared resolver, then the scan on the
  // session's thread with the answers in hand.
  auto join = std::make_shared<firewall::LookupJoin<evals::DnsResults>>(
      ctx.post, [this, scan, &message, &ctx, &out, done](evals::DnsResults& results) {
        scan->setDnsResults(std::move(results));
        report(*scan, message, ctx, out);
        done();
      });
  for (auto& l : lookups) join->state().results.push_back({std::move(l), {}, {}});
  for (size_t i = 0; i < join->state().results.size(); ++i) {
    join->hold();
    const evals::DnsLookup& l = join->state().results[i].lookup;
    resolver_->lookup(l.name, l.type, [join, i](const dns::Answer& a) {
      join->update([&](evals::DnsResults& r) {
        r.results[i].status = a.status;
        r.results[i].records = a.texts();
      });
    });
  }
  join->release();
}

void ContentRulesCheck::report(MessageScan& scan, const mime::Message& message,
                               const core::CheckContext& ctx, core::StageOutcome& out) const {
  rules::ScanResult result = scan.run();
  if (result.stopped || scan.outOfTime()) {
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
    out.symbols.push_back({r.name, r.score(rules_->scoreSet()), r.description, core::Stage::Data});
  }
}

}  // namespace portcullis::content
