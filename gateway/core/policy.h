// Policy: thresholds and which checks run. It may differ per recipient domain; a transaction
// keeps the one of its first accepted recipient.
#pragma once
#include <map>
#include <memory>
#include <set>
#include <string>

#include "gateway/core/verdict.h"

namespace portcullis::core {

struct Policy {
  std::string name = "default";
  Thresholds thresholds;
  std::set<std::string> disabledChecks;

  bool runs(std::string_view check) const { return !disabledChecks.contains(std::string(check)); }
};

// Maps a recipient domain to its policy: an exact domain entry wins, then ".parent" entries for
// subdomains (nearest first), then the default.
class PolicyMap {
 public:
  PolicyMap();
  explicit PolicyMap(std::shared_ptr<const Policy> fallback);
  void add(std::string domainKey, std::shared_ptr<const Policy> p);
  std::shared_ptr<const Policy> forDomain(std::string_view domain) const;
  const std::shared_ptr<const Policy>& fallback() const { return default_; }

 private:
  std::shared_ptr<const Policy> default_;
  std::map<std::string, std::shared_ptr<const Policy>, std::less<>> byDomain_;
};

}  // namespace portcullis::core
