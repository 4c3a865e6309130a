// The Check interface: one unit of policy that runs at one stage and adds symbols.
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/core/policy.h"
#include "gateway/core/stage.h"
#include "gateway/core/transaction.h"
#include "gateway/core/verdict.h"

namespace portcullis::core {

// What a check sees. `tx` is null at connect and helo; `rcpt` is set only at the rcpt stage
// (the recipient being decided, not yet in tx->recipients).
// `post` runs a function on the session's thread: a check whose work finishes elsewhere (the
// resolver thread, a worker pool) calls its `done` through it, never from the other thread.
using Post = std::function<void(std::function<void()>)>;

struct CheckContext {
  const SessionInfo& session;
  const Transaction* tx = nullptr;
  const Address* rcpt = nullptr;
  const Policy& policy;
  Post post = {};  // empty: the check must complete before run() returns
};

// What the checks of one stage produced. At the rcpt stage a forced action applies to that
// recipient only.
struct StageOutcome {
  std::vector<Symbol> symbols;
  std::optional<ForcedAction> forced;
  // Header fields to add to the message if it is accepted (Authentication-Results).
  std::vector<std::pair<std::string, std::string>> headers;
  // Connect stage: what the session learns about its client (the firewall's reverse DNS and
  // DNS allowlists). The front door copies these into SessionInfo.
  std::optional<std::string> clientName;  // forward-confirmed reverse DNS name
  std::optional<std::string> iprev;       // RFC 8601 iprev result: pass, fail, temperror, ...
  bool allowlisted = false;
  // Data stage: what a check proved, for the checks of the verdict stage. Keys in use:
  //   "spf.pass" (the MAIL FROM domain), "dkim.pass" (d= of valid signatures),
  //   "dmarc.pass" (the From domain). The front door copies these into Transaction::facts.
  std::map<std::string, std::vector<std::string>> facts;

  // The pipeline stops launching further checks once a stage is decided this way.
  bool decisive() const {
    return forced && (forced->action == Action::Reject || forced->action == Action::Tempfail);
  }
  void force(ForcedAction f) {
    if (f.reply.empty()) f.reply = defaultReply(f.action);
    if (!forced || actionSeverity(f.action) > actionSeverity(forced->action)) forced = std::move(f);
  }
};

class Check {
 public:
  virtual ~Check() = default;
  // Stable name used in config (policy `disable` lists) and logs.
  virtual std::string_view name() const = 0;
  virtual Stage stage() const = 0;
  // Runs on the session's event-loop thread and must never block it. Adds symbols to `out`
  // (which stays valid until `done` is called) and calls `done` exactly once, possibly before
  // returning. Checks are immutable and shared between threads: per-call state lives in the
  // closure, never in the check.
  virtual void run(const CheckContext& ctx, StageOutcome& out, std::function<void()> done) const = 0;
};

}  // namespace portcullis::core
