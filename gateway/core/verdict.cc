#include "gateway/core/verdict.h"

#include <cmath>
#include <cstdio>

namespace portcullis::core {

std::optional<Action> parseAction(std::string_view n) {
  if (n == "accept") return Action::Accept;
  if (n == "add_headers") return Action::AddHeaders;
  if (n == "tempfail") return Action::Tempfail;
  if (n == "reject") return Action::Reject;
  if (n == "discard") return Action::Discard;
  if (n == "quarantine") return Action::Quarantine;
  return std::nullopt;
}

Reply defaultReply(Action a) {
  switch (a) {
    case Action::Reject: return makeReply(550, "5.7.1", "Message rejected as spam");
    case Action::Tempfail: return makeReply(451, "4.7.1", "Try again later");
    default: return {};
  }
}

void Verdict::add(Symbol s) {
  // A symbol is one piece of evidence and counts once per transaction, as a SpamAssassin rule
  // does: the HELO checks run again at every HELO/EHLO (and after STARTTLS), and a connect-stage
  // symbol meets the data stage's of the same name. It keeps its first place; the score is the
  // one of larger magnitude, so that which of two checks ran first (or which HELO was last)
  // cannot weaken the evidence, as Rspamd does for a symbol inserted twice.
  for (auto& have : symbols_) {
    if (have.name != s.name) continue;
    if (std::fabs(s.score) > std::fabs(have.score)) {
      have.score = s.score;
      have.reason = std::move(s.reason);
    }
    return;
  }
  symbols_.push_back(std::move(s));
}

void Verdict::force(ForcedAction f) {
  if (f.reply.empty()) f.reply = defaultReply(f.action);
  forced_.push_back(std::move(f));
}

void Verdict::merge(const Verdict& other) {
  for (const auto& s : other.symbols_) add(s);
  forced_.insert(forced_.end(), other.forced_.begin(), other.forced_.end());
}

double Verdict::score() const {
  double total = 0;
  for (const auto& s : symbols_) total += s.score;
  return total;
}

Decision Verdict::decide(const Thresholds& t) const {
  Decision best;
  best.decidedBy = "score";
  const double total = score();
  auto consider = [&](Action a, const std::optional<double>& threshold) {
    if (threshold && total >= *threshold && actionSeverity(a) > actionSeverity(best.action)) {
      best.action = a;
      best.reply = defaultReply(a);
    }
  };
  consider(Action::AddHeaders, t.addHeaders);
  consider(Action::Quarantine, t.quarantine);
  consider(Action::Tempfail, t.tempfail);
  consider(Action::Discard, t.discard);
  consider(Action::Reject, t.reject);
  // A forced action at least as harsh as the score's wins: its reply says why (a deny list's
  // text, a DMARC policy) where the score's reply is generic.
  bool forcedWon = false;
  for (const auto& f : forced_) {
    if (actionSeverity(f.action) > actionSeverity(best.action) ||
        (!forcedWon && actionSeverity(f.action) == actionSeverity(best.action) && best.action != Action::Accept)) {
      forcedWon = true;
      best.action = f.action;
      best.reply = f.reply;
      best.decidedBy = f.symbol;
    }
  }
  return best;
}

std::string Verdict::symbolList() const {
  std::string out;
  for (const auto& s : symbols_) {
    if (!out.empty()) out += ',';
    char buf[32];
    std::snprintf(buf, sizeof buf, "(%.2f)", s.score);
    out += s.name;
    out += buf;
  }
  return out;
}

}  // namespace portcullis::core
