#include "reputation/counters.h"

#include <cmath>
#include <cstring>

namespace portcullis::reputation {

std::string_view overrideName(Override o) {
  switch (o) {
    case Override::None:
      return "none";
    case Override::Allow:
      return "allow";
    case Override::Deny:
      return "deny";
    case Override::Neutral:
      return "neutral";
  }
  return "?";
}

std::optional<Override> parseOverride(std::string_view s) {
  if (s == "allow") return Override::Allow;
  if (s == "deny") return Override::Deny;
  if (s == "neutral") return Override::Neutral;
  if (s == "none") return Override::None;
  return std::nullopt;
}

Delta Delta::of(Outcome o, double weight) {
  Delta d;
  d.total = 1;
  switch (o) {
    case Outcome::Ham:
      d.ham = weight;
      break;
    case Outcome::Spam:
      d.spam = weight;
      break;
    case Outcome::Rejected:
      d.rejected = weight;
      d.spam = weight;
      break;
  }
  return d;
}

void decayTo(Counters& c, int64_t now, double halfLifeSeconds) {
  if (c.updated != 0 && now > c.updated && halfLifeSeconds > 0) {
    const double f = std::exp2(-static_cast<double>(now - c.updated) / halfLifeSeconds);
    c.ham *= f;
    c.spam *= f;
    c.rejected *= f;
    c.total *= f;
  }
  if (now > c.updated) c.updated = now;
}

void apply(Counters& c, const Delta& d, int64_t now, double halfLifeSeconds) {
  decayTo(c, now, halfLifeSeconds);
  c.ham += d.ham;
  c.spam += d.spam;
  c.rejected += d.rejected;
  c.total += d.total;
}

namespace {
constexpr uint8_t kVersion = 1;
constexpr size_t kSize = 1 + 4 * 8 + 8 + 1 + 8;

void put64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}
uint64_t get64(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
void putDouble(std::string& out, double d) {
  uint64_t v;
  std::memcpy(&v, &d, 8);
  put64(out, v);
}
double getDouble(const unsigned char* p) {
  uint64_t v = get64(p);
  double d;
  std::memcpy(&d, &v, 8);
  return d;
}
}  // namespace

std::string encode(const Record& r) {
  std::string out;
  out.reserve(kSize);
  out += static_cast<char>(kVersion);
  putDouble(out, r.counters.ham);
  putDouble(out, r.counters.spam);
  putDouble(out, r.counters.rejected);
  putDouble(out, r.counters.total);
  put64(out, static_cast<uint64_t>(r.counters.updated));
  out += static_cast<char>(r.override);
  put64(out, static_cast<uint64_t>(r.overrideSet));
  return out;
}

std::optional<Record> decode(std::string_view bytes) {
  if (bytes.size() != kSize || static_cast<uint8_t>(bytes[0]) != kVersion) return std::nullopt;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data()) + 1;
  Record r;
  r.counters.ham = getDouble(p);
  r.counters.spam = getDouble(p + 8);
  r.counters.rejected = getDouble(p + 16);
  r.counters.total = getDouble(p + 24);
  r.counters.updated = static_cast<int64_t>(get64(p + 32));
  const uint8_t o = p[40];
  if (o > 3) return std::nullopt;
  r.override = static_cast<Override>(o);
  r.overrideSet = static_cast<int64_t>(get64(p + 41));
  for (double d : {r.counters.ham, r.counters.spam, r.counters.rejected, r.counters.total})
    if (!std::isfinite(d) || d < 0) return std::nullopt;
  return r;
}

}  // namespace portcullis::reputation
