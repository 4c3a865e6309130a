// The engine's side of `eval:` rules: it knows no eval function, it asks. The compiler asks a
// catalog which functions exist and whether they need the network; the scanner asks a
// per-message scope to run one. The gateway implements both (gateway/content/evals).
#pragma once
#include <string_view>

#include "rules/engine/rule.h"

namespace portcullis::rules {

enum class EvalKind {
  Missing,  // not implemented: the rule does not run and metas over it do not either
  Local,    // needs only the message (and what the front door saw)
  Network,  // a DNS or other network test: runs only with network tests on (score set 1/3)
};

class EvalCatalog {
 public:
  virtual ~EvalCatalog() = default;
  virtual EvalKind kind(const EvalCall& call) const = 0;
};

// One message's evals. Called from the scanning thread only.
class EvalScope {
 public:
  virtual ~EvalScope() = default;
  // How many times the rule hit (0: no hit). Most evals hit once or not at all.
  virtual int run(const Rule& rule) const = 0;
};

}  // namespace portcullis::rules
