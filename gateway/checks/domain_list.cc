#include "gateway/checks/domain_list.h"

#include <charconv>
#include <cmath>

#include "gateway/core/text.h"

namespace portcullis::checks {

namespace {

std::vector<std::string_view> fields(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

bool validSymbol(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!(std::isupper(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
      return false;
  return true;
}

// "SYMBOL*SCORE"
bool symbolAndScore(std::string_view s, DomainList::Code& code, std::string* why) {
  auto star = s.rfind('*');
  if (star == std::string_view::npos) {
    *why = "'" + std::string(s) + "' needs a score: SYMBOL*SCORE";
    return false;
  }
  code.symbol = std::string(s.substr(0, star));
  if (!validSymbol(code.symbol)) {
    *why = "'" + code.symbol + "' is not a symbol name (A-Z, 0-9, _)";
    return false;
  }
  std::string_view w = s.substr(star + 1);
  auto [p, ec] = std::from_chars(w.data(), w.data() + w.size(), code.score);
  if (w.empty() || ec != std::errc() || p != w.data() + w.size() || !std::isfinite(code.score) ||
      std::abs(code.score) > 1000) {
    *why = "bad score '" + std::string(w) + "' (a number, at most 1000 either way)";
    return false;
  }
  return true;
}

}  // namespace

std::optional<DomainList> parseDomainList(std::string_view spec, std::string* why) {
  DomainList list;
  list.spec = std::string(spec);
  auto parts = fields(spec);
  auto fail = [&](const std::string& what) -> std::optional<DomainList> {
    *why = "'" + list.spec + "': " + what;
    return std::nullopt;
  };
  if (parts.empty()) return fail("empty");
  std::string_view head = parts[0];
  std::optional<double> anyScore;
  if (auto star = head.rfind('*'); star != std::string_view::npos) {
    DomainList::Code c;
    std::string inner;
    if (!symbolAndScore("X" + std::string(head.substr(star)), c, &inner)) return fail(inner);
    anyScore = c.score;
    head = head.substr(0, star);
  }
  if (auto at = head.find('@'); at != std::string_view::npos) {
    list.sources = 0;
    std::string_view names = head.substr(at + 1);
    head = head.substr(0, at);
    while (!names.empty()) {
      auto comma = names.find(',');
      std::string_view n = names.substr(0, comma);
      if (n == "sender")
        list.sources |= kSender;
      else if (n == "from")
        list.sources |= kFrom;
      else if (n == "url")
        list.sources |= kUrl;
      else if (n == "helo")
        list.sources |= kHelo;
      else
        return fail("unknown domain source '" + std::string(n) + "' (sender, from, url, helo)");
      names = comma == std::string_view::npos ? std::string_view() : names.substr(comma + 1);
    }
    if (list.sources == 0) return fail("no domain source after '@'");
  }
  list.zone = core::lowerAscii(head);
  if (list.zone.ends_with(".")) list.zone.pop_back();
  std::string inner;
  if (list.zone.find('.') == std::string::npos || !firewall::parseDnsblSite(list.zone, &inner))
    return fail("'" + list.zone + "' is not a DNS zone name");
  std::string symbolBase = "RHSBL_";
  for (char c : list.zone)
    symbolBase += std::isalnum(static_cast<unsigned char>(c))
                      ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                      : '_';
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string_view p = parts[i];
    auto eq = p.find('=');
    if (eq == std::string_view::npos)
      return fail("'" + std::string(p) + "' is not FILTER=SYMBOL*SCORE");
    DomainList::Code code;
    std::string inner;
    if (!symbolAndScore(p.substr(eq + 1), code, &inner)) return fail(inner);
    std::string_view match = p.substr(0, eq);
    if (match.starts_with("&")) {
      std::string_view m = match.substr(1);
      auto [q, ec] = std::from_chars(m.data(), m.data() + m.size(), code.mask);
      if (m.empty() || ec != std::errc() || q != m.data() + m.size() || code.mask == 0 ||
          code.mask > 255)
        return fail("bad bit mask '" + std::string(match) + "' (&1 to &255)");
    } else {
      code.filter = firewall::parseDnsblSite(list.zone + "=" + std::string(match), &inner);
      if (!code.filter || !code.filter->filter)
        return fail("bad reply filter '" + std::string(match) + "'");
    }
    list.codes.push_back(std::move(code));
  }
  if (list.codes.empty()) {
    if (!anyScore) return fail("needs *SCORE or reply-code mappings");
    list.codes.push_back(
        {firewall::parseDnsblSite(list.zone + "=127.[0..255].[0..255].[0..255]", why), 0,
         symbolBase, *anyScore});
  } else if (anyScore) {
    return fail("*SCORE after the zone is for lists without reply-code mappings");
  }
  return list;
}

std::vector<size_t> DomainList::matches(const core::IpAddress& answer) const {
  std::vector<size_t> out;
  if (answer.v6 || firewall::isDnsListError(answer)) return out;
  for (size_t i = 0; i < codes.size(); ++i) {
    const Code& c = codes[i];
    if (c.filter ? c.filter->matches(answer)
                 : answer.bytes[0] == 127 && (answer.bytes[3] & c.mask) != 0)
      out.push_back(i);
  }
  return out;
}

}  // namespace portcullis::checks
