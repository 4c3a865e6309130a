#include "reputation/score.h"

namespace portcullis::reputation {

std::string symbolFamily(KeyKind k) {
  switch (k) {
    case KeyKind::Ip:
      return "IP";
    case KeyKind::Net:
      return "NET";
    case KeyKind::Helo:
      return "HELO";
    case KeyKind::UrlHost:
      return "URL";
    default:
      return "DOMAIN";
  }
}

Assessment assess(const Key& key, const Record& r, int64_t now, const ScoreSettings& s) {
  Assessment a;
  const std::string family = symbolFamily(key.kind) + "_REPUTATION_";
  switch (r.override) {
    case Override::Allow:
      a.lean = -1;
      a.confidence = 1;
      a.score = s.allowScore;
      a.symbol = family + "ALLOW";
      return a;
    case Override::Deny:
      a.lean = 1;
      a.confidence = 1;
      a.score = s.denyScore;
      a.symbol = family + "DENY";
      return a;
    case Override::Neutral:
      return a;  // an admin said: judge this key by nothing
    case Override::None:
      break;
  }
  Counters c = r.counters;
  decayTo(c, now, s.halfLifeDays * 86400);
  const double ham = c.ham, spam = c.spam;
  a.messages = ham + spam;
  // Laplace prior: one ham and one spam that were never seen keep a single message from
  // reading as certainty.
  a.lean = (spam - ham) / (spam + ham + 2);
  a.confidence = a.messages / (a.messages + s.confidenceHalf);
  if (a.messages < s.minMessages) return a;
  if (a.lean > s.badAbove) {
    a.score = s.maxBad * a.lean * a.confidence;
    a.symbol = family + "BAD";
  } else if (a.lean < s.goodBelow) {
    a.score = s.maxGood * -a.lean * a.confidence;
    a.symbol = family + "GOOD";
  }
  return a;
}

}  // namespace portcullis::reputation
