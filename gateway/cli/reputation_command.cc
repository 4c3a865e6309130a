#include "gateway/cli/reputation_command.h"

#include <cstdio>
#include <ctime>
#include <iostream>

#include "gateway/cli/config_args.h"
#include "gateway/cli/time_text.h"
#include "gateway/config/config.h"
#include "gateway/config/system_config.h"
#include "reputation/score.h"
#include "reputation/store.h"

namespace portcullis::cli {

namespace {

const char* kUsage =
    "usage: portcullis reputation [--config FILE] [-o key=value]... show KEY...\n"
    "       portcullis reputation [--config FILE] [-o key=value]... set KEY "
    "allow|deny|neutral|none\n"
    "KEY is KIND:VALUE with KIND one of ip net helo env from dkim spf url,\n"
    "e.g. ip:192.0.2.1, net:192.0.2.0/24, dkim:example.com\n";

// A record never learned from has time 0.
std::string learnedTime(int64_t t) {
  return t == 0 ? "never" : isoTime(t);
}

}  // namespace

int reputationCommand(const std::vector<std::string>& args) {
  ConfigArgs cfg;
  auto split = splitConfigArgs(args, cfg, "portcullis reputation");
  if (!split) return 2;
  const std::vector<std::string>& rest = *split;
  const bool show = !rest.empty() && rest[0] == "show" && rest.size() >= 2;
  const bool set = !rest.empty() && rest[0] == "set" && rest.size() == 3;
  if (!show && !set) return std::cerr << kUsage, 2;

  std::vector<reputation::Key> keys;
  for (size_t i = 1; i < (set ? 2 : rest.size()); ++i) {
    std::string why;
    auto k = reputation::Key::parse(rest[i], &why);
    if (!k) return std::cerr << "portcullis reputation: " << why << "\n", 2;
    keys.push_back(*k);
  }
  std::optional<reputation::Override> override;
  if (set && !(override = reputation::parseOverride(rest[2])))
    return std::cerr << "portcullis reputation: '" << rest[2]
                     << "' is not allow, deny, neutral or none\n",
           2;

  auto loaded = config::load(config::effectiveConfigPath(cfg.path), cfg.overrides);
  if (!loaded.config) {
    for (const auto& e : loaded.errors) std::cerr << e.str() << "\n";
    return 1;
  }
  std::string error;
  auto store = reputation::openStore(loaded.config->store, &error);
  if (!store) return std::cerr << "portcullis reputation: " << error << "\n", 1;
  const int64_t now = std::time(nullptr);
  if (set) {
    store->setOverride(keys[0], *override, now);
    std::cout << keys[0].str() << " " << reputation::overrideName(*override) << "\n";
    return 0;
  }
  const reputation::ScoreSettings& settings = loaded.config->reputation.score;
  auto records = store->get(keys);
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!records[i]) {
      std::cout << keys[i].str() << "\tunknown\n";
      continue;
    }
    reputation::Record r = *records[i];
    const int64_t learned = r.counters.updated;
    reputation::decayTo(r.counters, now, settings.halfLifeDays * 86400);
    auto a = reputation::assess(keys[i], r, now, settings);
    char line[512];
    std::snprintf(
        line, sizeof line,
        "%s\tham=%.1f spam=%.1f rejected=%.1f total=%.1f lean=%+.2f confidence=%.2f "
        "score=%+.2f symbol=%s override=%s learned=%s",
        keys[i].str().c_str(), r.counters.ham, r.counters.spam, r.counters.rejected,
        r.counters.total, a.lean, a.confidence, a.score, a.symbol.empty() ? "-" : a.symbol.c_str(),
        std::string(reputation::overrideName(r.override)).c_str(), learnedTime(learned).c_str());
    std::cout << line << "\n";
  }
  return 0;
}

}  // namespace portcullis::cli
