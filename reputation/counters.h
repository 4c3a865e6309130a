// Per-key counters with exponential time decay: old evidence fades with a half-life, so a
// reformed sender recovers and a compromised one is forgotten once cleaned up.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace portcullis::reputation {

enum class Outcome { Ham, Spam, Rejected };

// An admin's decision that overrides what was learned.
enum class Override : uint8_t { None = 0, Allow = 1, Deny = 2, Neutral = 3 };
std::string_view overrideName(Override o);
std::optional<Override> parseOverride(std::string_view s);

struct Counters {
  double ham = 0;
  double spam = 0;
  double rejected = 0;  // refused before or at DATA (counted as spam evidence too)
  double total = 0;     // every message seen, whatever its verdict
  int64_t updated = 0;  // unix seconds of the last decay
};

struct Record {
  Counters counters;
  Override override = Override::None;
  int64_t overrideSet = 0;  // unix seconds
};

// What one message adds to each of its keys.
struct Delta {
  double ham = 0;
  double spam = 0;
  double rejected = 0;
  double total = 0;
  static Delta of(Outcome o, double weight = 1.0);
};

// Decays `c` to `now` with the half-life (seconds), then adds `d`.
void decayTo(Counters& c, int64_t now, double halfLifeSeconds);
void apply(Counters& c, const Delta& d, int64_t now, double halfLifeSeconds);

// Fixed little-endian encoding (versioned), the same in every backend.
std::string encode(const Record& r);
std::optional<Record> decode(std::string_view bytes);

}  // namespace portcullis::reputation
