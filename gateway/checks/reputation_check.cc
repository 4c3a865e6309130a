#include "gateway/checks/reputation_check.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <set>

#include "gateway/core/log.h"
#include "gateway/core/metrics.h"
#include "gateway/core/text.h"

namespace portcullis::checks {

namespace {

// "https://user@Host.Example:8080/x" -> "host.example"; "" when there is no host.
std::string urlHost(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return "";
  std::string rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = rest.rfind('@'); at != std::string::npos) rest = rest.substr(at + 1);
  if (!rest.empty() && rest.front() == '[') return "";  // IPv6 literal: the IP keys cover it
  rest = rest.substr(0, rest.find(':'));
  return core::lowerAscii(rest);
}

// Looked up once per operation: these are on every message's path.
core::metrics::Histogram& storeLatency(std::string_view operation) {
  auto make = [](const char* op) -> core::metrics::Histogram& {
    return core::metrics::Registry::instance().histogram(
        "portcullis_store_operation_duration_seconds", "Reputation store calls by operation",
        {{"operation", op}});
  };
  static auto& get = make("get");
  static auto& update = make("update");
  return operation == "get" ? get : update;
}

core::metrics::Counter& storeErrors(std::string_view operation) {
  auto make = [](const char* op) -> core::metrics::Counter& {
    return core::metrics::Registry::instance().counter(
        "portcullis_store_errors_total", "Reputation store calls that failed (checks went neutral)",
        {{"operation", op}});
  };
  static auto& get = make("get");
  static auto& update = make("update");
  return operation == "get" ? get : update;
}

bool isReputationSymbol(const std::string& name) {
  return name.find("_REPUTATION_") != std::string::npos;
}

}  // namespace

reputation::Identity identityOf(const core::SessionInfo& s, const core::Transaction& tx,
                                const mime::Limits& limits) {
  reputation::Identity id;
  if (s.clientIp) id.clientIp = s.clientIp->unmapped().str();
  id.helo = s.helo;
  if (s.clientName != "unknown") id.verifiedName = s.clientName;
  if (!tx.mailFrom.null) id.envelopeDomain = tx.mailFrom.domainLower();
  auto fact = [&](const char* name) -> const std::vector<std::string>* {
    auto it = tx.facts.find(name);
    return it == tx.facts.end() ? nullptr : &it->second;
  };
  if (auto* spf = fact("spf.pass"))
    for (const auto& d : *spf) id.spfPass = id.spfPass || core::lowerAscii(d) == id.envelopeDomain;
  if (auto* dmarc = fact("dmarc.pass"); dmarc && !dmarc->empty()) {
    id.dmarcPass = true;
    id.fromDomain = dmarc->front();
  }
  if (auto* dkim = fact("dkim.pass")) id.dkimDomains = *dkim;
  if (!tx.message.empty())
    for (const auto& u : tx.mimeView(limits).urls)
      if (auto h = urlHost(u); !h.empty()) id.urlHosts.push_back(h);
  return id;
}

ReputationService::ReputationService(std::shared_ptr<reputation::Store> store,
                                     ReputationSettings settings)
    : store_(std::move(store)), settings_(settings) {}

void ReputationService::post(std::function<void()> f) {
  static asio::thread_pool pool(static_cast<size_t>(std::max(1, settings_.workers)));
  asio::post(pool, std::move(f));
}

std::string ReputationService::learn(const core::SessionInfo& s, const core::Transaction& tx,
                                     const core::Verdict& verdict, const core::Decision& d,
                                     const core::Thresholds& thresholds) {
  if (!settings_.learn) return "";
  if (d.action == core::Action::Tempfail || d.action == core::Action::Quarantine) return "";
  core::Verdict without;
  for (const auto& sym : verdict.symbols())
    if (!isReputationSymbol(sym.name)) without.add(sym);
  for (const auto& f : verdict.forced())
    if (!isReputationSymbol(f.symbol)) without.force(f);
  const core::Decision alone = without.decide(thresholds);
  const double score = without.score();
  std::optional<reputation::Outcome> outcome;
  if (alone.action == core::Action::Reject)
    outcome = reputation::Outcome::Rejected;
  else if (score >= settings_.learnSpamAt)
    outcome = reputation::Outcome::Spam;
  else if ((alone.action == core::Action::Accept || alone.action == core::Action::AddHeaders) &&
           (d.action == core::Action::Accept || d.action == core::Action::AddHeaders) &&
           score <= settings_.learnHamBelow)
    outcome = reputation::Outcome::Ham;
  if (!outcome) return "";
  auto keys = reputation::keysFor(identityOf(s, tx), settings_.keys);
  if (keys.empty()) return "";
  const double halfLife = settings_.score.halfLifeDays * 86400;
  const auto& w = settings_.learnWeights;
  const double weight = *outcome == reputation::Outcome::Ham    ? w.ham
                        : *outcome == reputation::Outcome::Spam ? w.spam
                                                                : w.rejected;
  if (weight <= 0) return "";
  post([store = store_, keys = std::move(keys), o = *outcome, weight, halfLife] {
    try {
      const auto started = std::chrono::steady_clock::now();
      store->update(keys, reputation::Delta::of(o, weight), std::time(nullptr), halfLife);
      storeLatency("update").observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    } catch (const std::exception& e) {
      storeErrors("update").add();
      core::log::warn(std::string("reputation: learning failed: ") + e.what());
    }
  });
  switch (*outcome) {
    case reputation::Outcome::Ham:
      return "ham";
    case reputation::Outcome::Spam:
      return "spam";
    case reputation::Outcome::Rejected:
      return "rejected";
  }
  return "";
}

std::string ReputationService::learnRefusal(const core::SessionInfo& s, const std::string& test) {
  static const std::set<std::string, std::less<>> firstHand = {
      "FW_PREGREET",     "FW_PIPELINING",      "FW_NON_SMTP",
      "FW_BARE_NEWLINE", "FW_TOO_MANY_ERRORS", "FW_UNKNOWN_COMMANDS"};
  const double weight = settings_.learnWeights.refused;
  if (!settings_.learn || weight <= 0 || !s.clientIp || !firstHand.contains(test)) return "";
  reputation::Identity id;
  id.clientIp = s.clientIp->unmapped().str();
  auto keys = reputation::keysFor(id, settings_.keys);
  if (keys.empty()) return "";
  const double halfLife = settings_.score.halfLifeDays * 86400;
  post([store = store_, keys = std::move(keys), weight, halfLife] {
    try {
      store->update(keys, reputation::Delta::of(reputation::Outcome::Rejected, weight),
                    std::time(nullptr), halfLife);
    } catch (const std::exception& e) {
      core::log::warn(std::string("reputation: learning failed: ") + e.what());
    }
  });
  return "rejected";
}

void ReputationCheck::run(const core::CheckContext& ctx, core::StageOutcome& out,
                          std::function<void()> done) const {
  if (!ctx.tx || !ctx.post) return done();
  auto keys = reputation::keysFor(identityOf(ctx.session, *ctx.tx), service_->settings().keys);
  if (keys.empty()) return done();
  service_->post([store = service_->store(), scoring = service_->settings().score,
                  keys = std::move(keys), post = ctx.post, &out, done] {
    std::vector<core::Symbol> symbols;
    try {
      const int64_t now = std::time(nullptr);
      const auto started = std::chrono::steady_clock::now();
      auto records = store->get(keys);
      storeLatency("get").observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      // One symbol per family (the strongest key of it), so a message is not counted twice
      // for its IP and its network saying the same.
      std::map<std::string, core::Symbol> best;
      for (size_t i = 0; i < keys.size(); ++i) {
        if (!records[i]) continue;
        auto a = reputation::assess(keys[i], *records[i], now, scoring);
        if (a.symbol.empty()) continue;
        char reason[160];
        if (records[i]->override != reputation::Override::None)
          std::snprintf(reason, sizeof reason, "%s: set to %s by an admin", keys[i].str().c_str(),
                        std::string(reputation::overrideName(records[i]->override)).c_str());
        else
          std::snprintf(reason, sizeof reason, "%s: %.0f messages, lean %+.2f, confidence %.2f",
                        keys[i].str().c_str(), a.messages, a.lean, a.confidence);
        auto& slot = best[a.symbol];
        if (slot.name.empty() || std::abs(a.score) > std::abs(slot.score))
          slot = core::Symbol{a.symbol, a.score, reason, core::Stage::Verdict};
      }
      for (auto& [name, sym] : best) symbols.push_back(std::move(sym));
    } catch (const std::exception& e) {
      // A store that fails makes reputation neutral; mail keeps flowing.
      storeErrors("get").add();
      core::log::warn(std::string("reputation: lookup failed, neutral: ") + e.what());
    }
    post([&out, done, symbols = std::move(symbols)]() mutable {
      for (auto& s : symbols) out.symbols.push_back(std::move(s));
      done();
    });
  });
}

}  // namespace portcullis::checks
