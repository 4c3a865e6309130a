// Which rule files a rule set is read from, in order. The one place that decides it: the
// gateway at start-up and on SIGHUP, `portcullis scan` and `portcullis rules lint|test|list`
// all read the list config::load() computes here.
#pragma once
#include <string>
#include <vector>

namespace portcullis::config {

struct RuleSourceSettings {
  // rules.paths: files, directories (*.pre then *.cf in name order) and built-in sets
  // ("builtin:shipped"), read after SpamAssassin's; a later rule replaces an earlier one.
  std::vector<std::string> paths{"builtin:shipped"};
  // rules.spamassassin: SpamAssassin's stock rules and site config first, when installed.
  bool spamassassin = true;
  // rules.spamassassin_rules_dir: empty = sa-update's newest channel directory, else Debian's
  // /usr/share/spamassassin.
  std::string spamassassinRulesDir;
  // rules.spamassassin_site_dir: the admin's *.pre (plugins) and *.cf (local.cf).
  std::string spamassassinSiteDir = "/etc/spamassassin";
  // Where sa-update keeps its downloads (SpamAssassin's LOCAL_STATE_DIR); for tests.
  std::string spamassassinStateDir = "/var/lib/spamassassin";
  std::string spamassassinDefaultRulesDir = "/usr/share/spamassassin";
};

// SpamAssassin's stock rules directory: STATE/<version>/updates_spamassassin_org for the
// highest version sa-update has filled, else `fallback` if it exists, else "" (not installed).
std::string spamAssassinRulesDir(const std::string& stateDir, const std::string& fallback);

// SpamAssassin's own layering (Mail::SpamAssassin::init): the site directory's *.pre, then the
// default rules directory (its *.pre, then its *.cf), then the site directory's *.cf, each in
// name order, so an admin's local.cf scores and rules apply over the stock ones. Empty when
// the stock rules are not installed.
std::vector<std::string> spamAssassinPaths(const RuleSourceSettings& settings);

// rules.cache_dir's default: $XDG_CACHE_HOME/portcullis/rules, else ~/.cache/portcullis/rules
// (a user's `portcullis scan` compiles the stock rules once, not on every run), else "" (none).
std::string defaultRulesCacheDir();

// Everything in reading order: SpamAssassin's layering (unless off), then rules.paths.
std::vector<std::string> ruleSourcePaths(const RuleSourceSettings& settings);

}  // namespace portcullis::config
