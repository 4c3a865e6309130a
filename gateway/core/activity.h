// What the web console shows of recent traffic: the latest transactions with their symbols,
// transactions per minute by action over the last hour, and hit counts per symbol since start.
// In memory, bounded, shared by every front door; one short lock per transaction.
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "gateway/core/action.h"
#include "gateway/core/transaction.h"
#include "gateway/core/verdict.h"

namespace portcullis::core::activity {

struct TransactionRecord {
  int64_t timeMs = 0;  // Unix time
  std::string door;    // "smtp", "milter"
  std::string id;
  std::string client;
  std::string from;
  std::string to;
  Action action = Action::Accept;
  double score = 0;
  std::string reply;
  std::vector<Symbol> symbols;
};

constexpr size_t kLatest = 100;
constexpr int kMinutes = 60;
constexpr size_t kActions = 6;  // Accept .. Quarantine

struct Minute {
  int64_t startMs = 0;
  std::array<uint64_t, kActions> byAction{};
};

void record(TransactionRecord r);
// The record of a judged transaction, as both front doors log it.
void recordTransaction(std::string door, const SessionInfo& info, const Transaction& tx,
                       Action action, const Verdict& verdict, std::string reply);
// Newest first, at most `n`.
std::vector<TransactionRecord> latest(size_t n);
// kMinutes entries, oldest first, the last one the current minute.
std::vector<Minute> lastHour(int64_t nowMs);
std::map<std::string, uint64_t> symbolHits();

}  // namespace portcullis::core::activity
