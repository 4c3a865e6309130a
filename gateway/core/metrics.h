// Process-wide metrics in Prometheus's text exposition format (version 0.0.4): counters,
// gauges and histograms with labels, safe to update from any thread without a lock on the hot
// path (callers keep the reference a lookup returns; lookups take a mutex).
//
// Names follow Prometheus's conventions: a `portcullis_` prefix, base units (seconds, bytes),
// `_total` on counters, and labels for what varies (action, symbol, stage) rather than names.
#pragma once
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "gateway/core/action.h"
#include "gateway/core/verdict.h"

namespace portcullis::core::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void add(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

class Gauge {
 public:
  void set(int64_t v) { value_.store(v, std::memory_order_relaxed); }
  void add(int64_t d) { value_.fetch_add(d, std::memory_order_relaxed); }
  int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> value_{0};
};

class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void observe(double v);
  const std::vector<double>& bounds() const { return bounds_; }
  // Cumulative counts per bound (the last is +Inf), the sum and the count, read together.
  struct Snapshot {
    std::vector<uint64_t> cumulative;
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot snapshot() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // per bound, then +Inf; not cumulative
  std::atomic<uint64_t> sumMicros_{0};                // sum in millionths, for a lock-free add
  std::atomic<uint64_t> count_{0};
};

// Latency buckets for checks, DNS and store calls: 0.5 ms to 10 s.
std::vector<double> latencyBuckets();

class Registry {
 public:
  static Registry& instance();
  Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
  Gauge& gauge(const std::string& name, const std::string& help, const Labels& labels = {});
  Histogram& histogram(const std::string& name, const std::string& help, const Labels& labels = {},
                       std::vector<double> bounds = latencyBuckets());
  // The whole registry in the text format, families sorted by name.
  std::string render() const;

 private:
  enum class Type { Counter, Gauge, Histogram };
  struct Family {
    Type type;
    std::string help;
    std::map<std::string, std::unique_ptr<Counter>> counters;  // by rendered label set
    std::map<std::string, std::unique_ptr<Gauge>> gauges;
    std::map<std::string, std::unique_ptr<Histogram>> histograms;
  };
  Family& family(const std::string& name, Type type, const std::string& help);

  mutable std::mutex mutex_;
  std::map<std::string, Family> families_;
};

// One finished transaction: portcullis_transactions_total{door,action} and each symbol's
// portcullis_symbol_hits_total.
void countTransaction(const std::string& door, Action action, const Verdict& verdict);

// `{a="1",b="2"}` with values escaped as the format requires; empty for no labels.
std::string renderLabels(const Labels& labels);

}  // namespace portcullis::core::metrics
