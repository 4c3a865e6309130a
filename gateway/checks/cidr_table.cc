#include "gateway/checks/cidr_table.h"

#include <fstream>
#include <sstream>

#include "gateway/core/text.h"

namespace portcullis::checks {

namespace {
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string_view nextWord(std::string_view& s) {
  s = trim(s);
  auto end = s.find_first_of(" \t");
  auto word = s.substr(0, end);
  s = end == std::string_view::npos ? std::string_view{} : trim(s.substr(end));
  return word;
}

std::optional<AccessAction> parseAccess(std::string_view w) {
  const std::string l = core::lowerAscii(w);
  if (l == "allow" || l == "permit" || l == "ok") return AccessAction::Allow;
  if (l == "deny" || l == "reject") return AccessAction::Deny;
  if (l == "tempfail" || l == "defer") return AccessAction::Tempfail;
  return std::nullopt;
}
}  // namespace

std::variant<CidrTable, std::vector<core::SourceError>> CidrTable::parse(std::string_view text,
                                                                         const std::string& file) {
  CidrTable table;
  table.file_ = file;
  std::vector<core::SourceError> errors;
  int lineNo = 0;
  while (!text.empty()) {
    ++lineNo;
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    auto rangeWord = nextWord(line);
    auto range = core::CidrRange::parse(rangeWord);
    if (!range) {
      errors.push_back({file, lineNo,
                        "'" + std::string(rangeWord) +
                            "' is not an IPv4/IPv6 address or network (host bits must be zero)"});
      continue;
    }
    auto actionWord = nextWord(line);
    if (actionWord.empty()) {
      errors.push_back({file, lineNo, "missing action after " + std::string(rangeWord) +
                                          " (allow, deny or tempfail)"});
      continue;
    }
    auto action = parseAccess(actionWord);
    if (!action) {
      errors.push_back({file, lineNo, "unknown action '" + std::string(actionWord) +
                                          "' (allow, deny or tempfail)"});
      continue;
    }
    table.entries_.push_back({*range, *action, std::string(line), lineNo});
  }
  if (!errors.empty()) return errors;
  return table;
}

std::variant<CidrTable, std::vector<core::SourceError>> CidrTable::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::vector<core::SourceError>{{path, 0, "cannot open list file"}};
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), path);
}

const AccessEntry* CidrTable::find(const core::IpAddress& a) const {
  for (const auto& e : entries_)
    if (e.range.contains(a)) return &e;
  return nullptr;
}

}  // namespace portcullis::checks
