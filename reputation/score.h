// From counters to a verdict contribution: a score with a confidence. A key seen twice moves
// the verdict little, one seen a thousand times moves it much.
#pragma once
#include <string>
#include <vector>

#include "reputation/counters.h"
#include "reputation/key.h"

namespace portcullis::reputation {

struct ScoreSettings {
  double halfLifeDays = 30;
  // confidence = n / (n + confidenceHalf): 2 messages -> 0.17, 10 -> 0.5, 1000 -> 0.99.
  double confidenceHalf = 10;
  double minMessages = 3;  // below this (decayed) count a key says nothing
  double badAbove = 0.25;  // lean (-1 ham .. +1 spam) beyond which a symbol is added
  double goodBelow = -0.25;
  double maxBad = 6.0;        // the score of a fully confident all-spam key
  double maxGood = -3.0;      // of a fully confident all-ham key
  double allowScore = -20.0;  // an admin's allow / deny
  double denyScore = 20.0;
};

struct Assessment {
  double lean = 0;        // -1 (all ham) .. +1 (all spam), after a Laplace prior
  double confidence = 0;  // 0 .. 1
  double messages = 0;    // decayed count
  double score = 0;       // what the symbol adds (0: no symbol)
  std::string symbol;     // IP_REPUTATION_BAD, DOMAIN_REPUTATION_GOOD, ... or empty
};

Assessment assess(const Key& key, const Record& r, int64_t now, const ScoreSettings& s);

// The symbol family of a key kind: IP, NET, HELO, DOMAIN (env/from/dkim/spf), URL.
std::string symbolFamily(KeyKind k);

}  // namespace portcullis::reputation
