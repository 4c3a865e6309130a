// A client access list: CIDR ranges with an action each, read from a list file, first match
// wins (as in Postfix cidr tables).
//
//   # comment
//   192.0.2.0/24     deny      Optional text for the client
//   2001:db8::/32    allow
//   198.51.100.7     tempfail
#pragma once
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "gateway/core/error.h"
#include "gateway/core/ip_address.h"

namespace portcullis::checks {

enum class AccessAction { Allow, Deny, Tempfail };

struct AccessEntry {
  core::CidrRange range;
  AccessAction action;
  std::string text;
  int line = 0;
};

class CidrTable {
 public:
  // Parses the list text; every bad line is reported (not just the first).
  static std::variant<CidrTable, std::vector<core::SourceError>> parse(std::string_view text,
                                                                       const std::string& file);
  static std::variant<CidrTable, std::vector<core::SourceError>> load(const std::string& path);

  const AccessEntry* find(const core::IpAddress& a) const;
  size_t size() const { return entries_.size(); }
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::vector<AccessEntry> entries_;
};

}  // namespace portcullis::checks
