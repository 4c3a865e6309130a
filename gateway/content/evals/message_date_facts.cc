#include "gateway/content/evals/message_date_facts.h"

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>

#include "gateway/content/evals/rfc822_date.h"
#include "rules/engine/full_regex.h"

namespace portcullis::content::evals {
namespace {

std::optional<int64_t> dateHeaderTime(const EvalContext& ctx) {
  // A Resent-Date takes precedence over the Date; the first one that parses counts.
  for (const char* name : {"Resent-Date", "Date"}) {
    for (std::string date : ctx.getAll(name)) {
      if (date.empty()) continue;
      if (date.ends_with('\n')) date.pop_back();
      if (auto t = parseRfc822Date(date)) return t;
    }
  }
  return std::nullopt;
}

// The fixed patterns below, compiled once for the life of the process.
const rules::FullRegex& compiled(const char* pattern) {
  rules::PerlRegex re;
  re.pattern = pattern;
  std::string error;
  static std::vector<std::unique_ptr<rules::FullRegex>> kept;
  kept.push_back(rules::FullRegex::compile(re, &error));
  return *kept.back();
}

// Fetchmail adds one or two Received headers of its own on top, which say nothing about when
// the message was sent: SpamAssassin sets them aside.
void dropFetchmailHeaders(std::vector<std::string>& received) {
  static const rules::FullRegex& fromLocalhost =
      compiled(R"(\bfrom (?:localhost\s|(?:\S+ ){1,2}\S*\b127\.0\.0\.1\b))");
  static const rules::FullRegex& qmailInvoked = compiled(R"(qmail \d+ invoked by uid \d+)");
  static const rules::FullRegex& byFetchmail =
      compiled(R"(\bby localhost with \w+ \(fetchmail-[\d.]+)");
  std::vector<std::string> local;
  if (fromLocalhost.search(received[0]) || qmailInvoked.search(received[0])) {
    local.push_back(received.front());
    received.erase(received.begin());
  }
  if (!received.empty() && byFetchmail.search(received[0])) {
    received.erase(received.begin());
  } else if (!local.empty()) {
    received.insert(received.begin(), local.front());
  }
}

std::vector<int64_t> receivedHeaderTimes(const EvalContext& ctx) {
  std::vector<std::string> received;
  for (const std::string& value : ctx.getAll("Received")) {
    size_t start = 0;
    while (start <= value.size()) {
      size_t end = value.find('\n', start);
      if (end == std::string::npos) end = value.size();
      std::string line = value.substr(start, end - start);
      if (line.find_first_not_of(" \t\r\f\v") != std::string::npos) received.push_back(line);
      start = end + 1;
    }
  }
  std::vector<int64_t> times;
  if (received.empty()) return times;  // archived mail with a few headers kept
  dropFetchmailHeaders(received);
  static const rules::FullRegex& stamp = compiled(R"((\s.?\d+ \S\S\S \d+ \d+:\d+:\d+ \S+))");
  for (const std::string& line : received) {
    std::string_view match;
    if (!stamp.search(line, &match)) continue;
    if (auto t = parseRfc822Date(match)) times.push_back(*t);
  }
  return times;
}

}  // namespace

MessageDateFacts::MessageDateFacts(const EvalContext& ctx) {
  headerTime = dateHeaderTime(ctx);
  if (!headerTime) return;
  receivedTimes = receivedHeaderTimes(ctx);
  if (receivedTimes.empty()) return;
  std::vector<int64_t> diffs;
  for (int64_t t : receivedTimes) diffs.push_back(*headerTime - t);
  // The last (oldest) Received header, when it agrees to the second, is likely written by the
  // sender with the Date: it proves nothing and is left out.
  if (diffs.size() > 1 && diffs.back() == 0) diffs.pop_back();
  // The smallest absolute difference (the fewest false positives, SpamAssassin found).
  dateDiff = *std::min_element(diffs.begin(), diffs.end(),
                               [](int64_t a, int64_t b) { return std::llabs(a) < std::llabs(b); });
}

}  // namespace portcullis::content::evals
