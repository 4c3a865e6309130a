#include "gateway/config/rule_sources.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace portcullis::config {

namespace fs = std::filesystem;

namespace {

// SpamAssassin versions as sa-update names its directories: "4.000001" (4.0.1), "3.004006".
bool versionName(const std::string& name, double* version) {
  if (name.empty() || name.find_first_not_of("0123456789.") != std::string::npos) return false;
  char* end = nullptr;
  *version = std::strtod(name.c_str(), &end);
  return end && *end == '\0';
}

// The regular files of `dir` ending in `ext`, in name order (SpamAssassin sorts them too).
std::vector<std::string> filesEnding(const std::string& dir, const std::string& ext) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file(ec) && e.path().extension() == ext) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::string spamAssassinRulesDir(const std::string& stateDir, const std::string& fallback) {
  std::error_code ec;
  std::string best;
  double bestVersion = -1;
  for (const auto& e : fs::directory_iterator(stateDir, ec)) {
    double v = 0;
    if (!versionName(e.path().filename().string(), &v) || v <= bestVersion) continue;
    const fs::path channel = e.path() / "updates_spamassassin_org";
    if (!fs::is_directory(channel, ec)) continue;
    best = channel.string();
    bestVersion = v;
  }
  if (!best.empty()) return best;
  return fs::is_directory(fallback, ec) ? fallback : "";
}

std::vector<std::string> spamAssassinPaths(const RuleSourceSettings& s) {
  std::error_code ec;
  const std::string rules =
      s.spamassassinRulesDir.empty()
          ? spamAssassinRulesDir(s.spamassassinStateDir, s.spamassassinDefaultRulesDir)
          : (fs::is_directory(s.spamassassinRulesDir, ec) ? s.spamassassinRulesDir : "");
  if (rules.empty()) return {};
  std::vector<std::string> out = filesEnding(s.spamassassinSiteDir, ".pre");
  out.push_back(rules);
  for (auto& f : filesEnding(s.spamassassinSiteDir, ".cf")) out.push_back(std::move(f));
  return out;
}

std::string defaultRulesCacheDir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg && *xdg == '/') return std::string(xdg) + "/portcullis/rules";
  const char* home = std::getenv("HOME");
  if (home && *home == '/') return std::string(home) + "/.cache/portcullis/rules";
  return "";
}

std::vector<std::string> ruleSourcePaths(const RuleSourceSettings& s) {
  std::vector<std::string> out;
  if (s.spamassassin) out = spamAssassinPaths(s);
  out.insert(out.end(), s.paths.begin(), s.paths.end());
  return out;
}

}  // namespace portcullis::config
