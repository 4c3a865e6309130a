#include "gateway/core/metrics.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace portcullis::core::metrics {

namespace {

// The shortest text that reads back as the same double ("0.1", not "0.10000000000000001").
std::string number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char b[48];
  auto [end, ec] = std::to_chars(b, b + sizeof b, v);
  return ec == std::errc() ? std::string(b, end) : std::string("NaN");
}

std::string escape(const std::string& v, bool help) {
  std::string out;
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '"' && !help)
      out += "\\\"";
    else
      out += c;
  }
  return out;
}

// `le` joins the label set: {a="1"} -> {a="1",le="0.5"}.
std::string withLe(const std::string& labels, const std::string& le) {
  const std::string pair = "le=\"" + le + "\"";
  if (labels.empty()) return "{" + pair + "}";
  return labels.substr(0, labels.size() - 1) + "," + pair + "}";
}

}  // namespace

std::string renderLabels(const Labels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i) out += ",";
    out += labels[i].first + "=\"" + escape(labels[i].second, false) + "\"";
  }
  return out + "}";
}

std::vector<double> latencyBuckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {
  for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i] = 0;
}

void Histogram::observe(double v) {
  size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  if (v > 0) sumMicros_.fetch_add(static_cast<uint64_t>(v * 1e6), std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  // The count is the +Inf bucket, so the two always agree within one scrape.
  s.count = running;
  s.sum = static_cast<double>(sumMicros_.load(std::memory_order_relaxed)) / 1e6;
  return s;
}

Registry& Registry::instance() {
  static Registry r;
  return r;
}

Registry::Family& Registry::family(const std::string& name, Type type, const std::string& help) {
  auto [it, fresh] = families_.try_emplace(name);
  if (fresh) {
    it->second.type = type;
    it->second.help = help;
  } else if (it->second.type != type) {
    throw std::logic_error("metric " + name + " registered with two types");
  }
  return it->second;
}

Counter& Registry::counter(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, Type::Counter, help).counters[renderLabels(labels)];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& Registry::gauge(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, Type::Gauge, help).gauges[renderLabels(labels)];
  if (!slot) slot = std::make_unique<Gauge>();
  return *slot;
}

Histogram& Registry::histogram(const std::string& name, const std::string& help,
                               const Labels& labels, std::vector<double> bounds) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, Type::Histogram, help).histograms[renderLabels(labels)];
  if (!slot) slot = std::make_unique<Histogram>(std::move(bounds));
  return *slot;
}

std::string Registry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, f] : families_) {
    static constexpr const char* kTypes[] = {"counter", "gauge", "histogram"};
    out += "# HELP " + name + " " + escape(f.help, true) + "\n";
    out += "# TYPE " + name + " " + kTypes[static_cast<int>(f.type)] + "\n";
    for (const auto& [labels, c] : f.counters)
      out += name + labels + " " + std::to_string(c->value()) + "\n";
    for (const auto& [labels, g] : f.gauges)
      out += name + labels + " " + std::to_string(g->value()) + "\n";
    for (const auto& [labels, h] : f.histograms) {
      const auto s = h->snapshot();
      for (size_t i = 0; i < h->bounds().size(); ++i)
        out += name + "_bucket" + withLe(labels, number(h->bounds()[i])) + " " +
               std::to_string(s.cumulative[i]) + "\n";
      out += name + "_bucket" + withLe(labels, "+Inf") + " " + std::to_string(s.count) + "\n";
      out += name + "_sum" + labels + " " + number(s.sum) + "\n";
      out += name + "_count" + labels + " " + std::to_string(s.count) + "\n";
    }
  }
  return out;
}

void countTransaction(const std::string& door, Action action, const Verdict& verdict) {
  auto& r = Registry::instance();
  r.counter("portcullis_transactions_total", "Finished transactions by front door and action",
            {{"door", door}, {"action", std::string(actionName(action))}})
      .add();
  for (const auto& s : verdict.symbols())
    r.counter("portcullis_symbol_hits_total", "Messages each symbol was found in",
              {{"symbol", s.name}})
        .add();
}

}  // namespace portcullis::core::metrics
