// Content scan throughput on one core: MIME parse + SpamAssassin rendering + every rule, per
// message, on a corpus loaded into memory first. Prints median messages/s and MB/s per rule
// set, and how scan time grows with the number of rules (synthetic body rules).
//   build/bench/content_scan [--rules DIR]... [--cache DIR] [--rounds N] [--limit N] [--scaling]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "gateway/content/content_rules_check.h"
#include "gateway/content/sa_text.h"
#include "rules/engine/compiled_rules.h"

using namespace portcullis;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<std::string> loadCorpus(const std::string& dir, size_t limit, size_t* bytes) {
  std::vector<std::string> paths;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    auto name = e.path().filename().string();
    if (name == "labels.tsv" || name == "LICENSE" || name == "NOTICE" || name.ends_with(".md"))
      continue;
    paths.push_back(e.path().string());
  }
  std::sort(paths.begin(), paths.end());
  if (limit && paths.size() > limit) {
    std::vector<std::string> spread;  // every k-th file: all folders stay represented
    for (size_t i = 0; i < limit; ++i) spread.push_back(paths[i * paths.size() / limit]);
    paths = spread;
  }
  std::vector<std::string> out;
  for (const auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    out.push_back(ss.str());
    *bytes += out.back().size();
  }
  return out;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct Figures {
  double seconds;  // median per pass over the corpus
  double hitsPerMessage;
};

Figures run(const rules::CompiledRules& rules, const std::vector<std::string>& corpus, int rounds) {
  std::vector<double> times;
  size_t hits = 0;
  for (int r = 0; r < rounds; ++r) {
    hits = 0;
    auto start = Clock::now();
    for (const auto& raw : corpus) {
      mime::Message m = mime::parseMessage(raw);
      content::SaMessageText text(raw, m);
      hits += rules.scan(text).hits.size();
    }
    times.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  return {median(times), static_cast<double>(hits) / static_cast<double>(corpus.size())};
}

// A rule directory as the gateway runs it: regex and eval rules, through content::scanMessage.
Figures runLoaded(const content::LoadedRules& loaded, const std::vector<std::string>& corpus,
                  int rounds) {
  std::vector<double> times;
  size_t hits = 0;
  for (int r = 0; r < rounds; ++r) {
    hits = 0;
    auto start = Clock::now();
    for (const auto& raw : corpus) {
      mime::Message m = mime::parseMessage(raw);
      hits += content::scanMessage(loaded, raw, m, {}).hits.size();
    }
    times.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  return {median(times), static_cast<double>(hits) / static_cast<double>(corpus.size())};
}

Figures parseOnly(const std::vector<std::string>& corpus, int rounds) {
  std::vector<double> times;
  size_t sink = 0;
  for (int r = 0; r < rounds; ++r) {
    auto start = Clock::now();
    for (const auto& raw : corpus) {
      mime::Message m = mime::parseMessage(raw);
      content::SaMessageText text(raw, m);
      sink += text.body().size();
    }
    times.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  return {median(times), static_cast<double>(sink % 2)};
}

std::shared_ptr<const rules::CompiledRules> compile(rules::RuleFileParser& p,
                                                    const std::string& cache, double* secs) {
  auto parsed = p.finish();
  rules::CompileOptions o;
  o.cacheDir = cache;
  std::string err;
  auto start = Clock::now();
  auto c = rules::CompiledRules::compile(std::move(parsed), o, &err);
  *secs = std::chrono::duration<double>(Clock::now() - start).count();
  if (!c) std::fprintf(stderr, "compile failed: %s\n", err.c_str());
  return c;
}

// N body rules of the kind rule writers write: words and phrases with alternations, classes
// and bounded gaps, plus a few look-arounds (the prefilter path), case-insensitive.
std::string syntheticRules(size_t n, unsigned seed) {
  static const char* words[] = {
      "money",  "offer",    "free",     "viagra",  "account", "verify",    "bank",    "loan",
      "credit", "winner",   "prize",    "urgent",  "click",   "password",  "invoice", "bitcoin",
      "casino", "pharmacy", "discount", "limited", "deal",    "guarantee", "income",  "investment"};
  std::mt19937 rng(seed);
  auto w = [&] { return std::string(words[rng() % (sizeof words / sizeof *words)]); };
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    std::string re;
    switch (rng() % 5) {
      case 0:
        re = "\\b" + w() + "\\s+" + w() + "\\b";
        break;
      case 1:
        re = "\\b(?:" + w() + "|" + w() + ")s?\\W{1,3}" + w() + std::to_string(rng() % 100);
        break;
      case 2:
        re = w() + "[\\s_-]{0,5}" + w() + ".{0,20}" + w();
        break;
      case 3:
        re = "\\b" + w() + "(?!\\s+" + w() + ")\\b.{0,10}" + std::to_string(rng() % 1000);
        break;
      default:
        re = "[$\\x{a3}]\\s?\\d{2,5}\\s+" + w();
        break;
    }
    out += "body SYN_" + std::to_string(i) + " /" + re + "/i\n";
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> ruleDirs;
  std::string cache, corpusDir = PORTCULLIS_SHARED_DIR "/corpora/spamassassin-public-corpus";
  int rounds = 3;
  size_t limit = 0;
  bool scaling = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--rules" && i + 1 < argc)
      ruleDirs.push_back(argv[++i]);
    else if (a == "--cache" && i + 1 < argc)
      cache = argv[++i];
    else if (a == "--rounds" && i + 1 < argc)
      rounds = std::max(1, std::atoi(argv[++i]));
    else if (a == "--limit" && i + 1 < argc)
      limit = static_cast<size_t>(std::atol(argv[++i]));
    else if (a == "--corpus" && i + 1 < argc)
      corpusDir = argv[++i];
    else if (a == "--scaling")
      scaling = true;
    else
      return std::fprintf(stderr, "unknown argument %s\n", a.c_str()), 2;
  }
  size_t bytes = 0;
  auto corpus = loadCorpus(corpusDir, limit, &bytes);
  std::printf("corpus: %zu messages, %.1f MB, %d rounds, median of rounds, one core\n",
              corpus.size(), static_cast<double>(bytes) / 1e6, rounds);
  const double mb = static_cast<double>(bytes) / 1e6, n = static_cast<double>(corpus.size());
  Figures base = parseOnly(corpus, rounds);
  std::printf("%-36s %8s %10s %8s %9s %10s\n", "rule set", "rules", "msg/s", "MB/s", "hits/msg",
              "compile s");
  std::printf("%-36s %8d %10.0f %8.1f %9s %10s\n", "(parse + render only)", 0, n / base.seconds,
              mb / base.seconds, "-", "-");
  for (const auto& dir : ruleDirs) {
    content::RulesSettings settings;
    settings.paths = {dir};
    settings.cacheDir = cache;
    auto start = Clock::now();
    content::LoadedRules loaded = content::loadRules(settings);
    double secs = std::chrono::duration<double>(Clock::now() - start).count();
    if (!loaded.rules) {
      for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", e.message.c_str());
      return 1;
    }
    const rules::CompiledRules* c = loaded.rules.get();
    size_t running = 0;
    for (size_t i = 0; i < c->rules().size(); ++i)
      running += c->path(i) != rules::MatchPath::NotRun;
    Figures f = runLoaded(loaded, corpus, rounds);
    std::printf("%-36s %8zu %10.0f %8.1f %9.2f %10.2f\n", dir.c_str(), running, n / f.seconds,
                mb / f.seconds, f.hitsPerMessage, secs);
  }
  if (scaling) {
    std::printf(
        "\nscaling: synthetic body rules (1 in 5 with a look-ahead: prefilter + confirm)\n");
    std::printf("%8s %10s %12s %10s\n", "rules", "msg/s", "us/msg", "compile s");
    for (size_t count : {100, 1000, 3000, 10000}) {
      rules::RuleFileParser p;
      p.addText(syntheticRules(count, 42), "synthetic.cf");
      double secs = 0;
      auto c = compile(p, cache, &secs);
      if (!c) return 1;
      Figures f = run(*c, corpus, rounds);
      std::printf("%8zu %10.0f %12.1f %10.2f\n", count, n / f.seconds, 1e6 * f.seconds / n, secs);
    }
  }
  return 0;
}
