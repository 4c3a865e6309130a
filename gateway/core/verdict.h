// Symbols with scores and reasons, and how they turn into an action through thresholds.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/action.h"
#include "gateway/core/reply.h"
#include "gateway/core/stage.h"

namespace portcullis::core {

struct Symbol {
  std::string name;  // UPPER_SNAKE, as in SpamAssassin and Rspamd
  double score = 0;
  std::string reason;
  Stage stage = Stage::Connect;
};

// A decision a check makes regardless of the score (a deny-listed client, a DMARC p=reject).
struct ForcedAction {
  Action action = Action::Reject;
  Reply reply;         // what the client is told; a default is used when empty
  std::string symbol;  // which symbol forced it, for logs
};

// Score thresholds; an unset threshold never triggers. The harshest triggered action wins.
struct Thresholds {
  std::optional<double> reject = 15.0;
  std::optional<double> discard;
  std::optional<double> tempfail;
  std::optional<double> quarantine;
  std::optional<double> addHeaders = 5.0;  // SpamAssassin's required_score
};

struct Decision {
  Action action = Action::Accept;
  Reply reply;          // for Reject/Tempfail: what to answer
  std::string decidedBy;  // "score" or the forcing symbol
};

class Verdict {
 public:
  // Once per name: a repeated symbol keeps its place and the larger-magnitude score.
  void add(Symbol s);
  void force(ForcedAction f);
  void merge(const Verdict& other);

  double score() const;
  const std::vector<Symbol>& symbols() const { return symbols_; }
  const std::vector<ForcedAction>& forced() const { return forced_; }
  Decision decide(const Thresholds& t) const;
  // "SYM1(1.50),SYM2(-0.20)" for logs.
  std::string symbolList() const;

 private:
  std::vector<Symbol> symbols_;
  std::vector<ForcedAction> forced_;
};

Reply defaultReply(Action a);

}  // namespace portcullis::core
