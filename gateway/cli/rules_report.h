// What `portcullis rules lint` says about a loaded rule set: how many rules run by type and
// how, which eval functions are still missing (and how many rules each would bring), and the
// share of the local rules (no network, no Bayes) that run.
#pragma once
#include <string>

#include "gateway/content/content_rules_check.h"

namespace portcullis::cli {

struct LintSummary {
  size_t files = 0, rules = 0, errors = 0, warnings = 0;
  std::string ignored;  // "settings that are not rules" line, empty when none
};

void printLintReport(const content::LoadedRules& loaded, const LintSummary& summary, bool verbose);
void printLintJson(const content::LoadedRules& loaded, const LintSummary& summary);

}  // namespace portcullis::cli
