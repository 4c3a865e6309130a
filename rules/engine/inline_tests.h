// `test NAME ok|fail TEXT` lines in rule files: TEXT must (ok) or must not (fail) make rule
// NAME hit when it is the text the rule's type reads (the header value, a body line, a URI).
#pragma once
#include <string>
#include <vector>

#include "rules/engine/compiled_rules.h"

namespace portcullis::rules {

struct InlineTestResult {
  std::string rule;
  std::string file;
  int line = 0;
  bool mustHit = true;
  bool passed = false;
  std::string note;  // why a test could not run, or what went wrong
};

// Runs every inline test through the compiled set, so the Hyperscan path is what is tested.
std::vector<InlineTestResult> runInlineTests(const CompiledRules& rules);

}  // namespace portcullis::rules
