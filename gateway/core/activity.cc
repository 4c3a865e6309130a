#include "gateway/core/activity.h"

#include <chrono>
#include <deque>
#include <mutex>

namespace portcullis::core::activity {

namespace {
struct State {
  std::mutex mutex;
  std::deque<TransactionRecord> latest;
  std::array<Minute, kMinutes> minutes{};  // ring, indexed by minute number
  std::map<std::string, uint64_t> hits;
};

State& state() {
  static State s;
  return s;
}

constexpr int64_t kMinuteMs = 60'000;
}  // namespace

void record(TransactionRecord r) {
  State& s = state();
  std::lock_guard lock(s.mutex);
  const int64_t minute = r.timeMs / kMinuteMs;
  Minute& m = s.minutes[static_cast<size_t>(minute % kMinutes)];
  if (m.startMs != minute * kMinuteMs) m = Minute{minute * kMinuteMs, {}};
  ++m.byAction[static_cast<size_t>(r.action)];
  for (const auto& sym : r.symbols) ++s.hits[sym.name];
  s.latest.push_front(std::move(r));
  if (s.latest.size() > kLatest) s.latest.pop_back();
}

void recordTransaction(std::string door, const SessionInfo& info, const Transaction& tx,
                       Action action, const Verdict& verdict, std::string reply) {
  TransactionRecord r;
  r.timeMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  r.door = std::move(door);
  r.id = tx.id;
  r.client = info.clientAddressText();
  r.from = tx.mailFrom.str();
  for (const auto& rc : tx.recipients) r.to += (r.to.empty() ? "" : ", ") + rc.address.str();
  r.action = action;
  r.score = verdict.score();
  r.reply = std::move(reply);
  r.symbols = verdict.symbols();
  record(std::move(r));
}

std::vector<TransactionRecord> latest(size_t n) {
  State& s = state();
  std::lock_guard lock(s.mutex);
  return {s.latest.begin(),
          s.latest.begin() + static_cast<std::ptrdiff_t>(std::min(n, s.latest.size()))};
}

std::vector<Minute> lastHour(int64_t nowMs) {
  State& s = state();
  std::lock_guard lock(s.mutex);
  std::vector<Minute> out;
  const int64_t current = nowMs / kMinuteMs;
  for (int64_t minute = current - kMinutes + 1; minute <= current; ++minute) {
    const Minute& m = s.minutes[static_cast<size_t>(minute % kMinutes)];
    out.push_back(m.startMs == minute * kMinuteMs ? m : Minute{minute * kMinuteMs, {}});
  }
  return out;
}

std::map<std::string, uint64_t> symbolHits() {
  State& s = state();
  std::lock_guard lock(s.mutex);
  return s.hits;
}

}  // namespace portcullis::core::activity
