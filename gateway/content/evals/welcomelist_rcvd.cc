#include "gateway/content/evals/welcomelist_rcvd.h"

#include <cctype>
#include <string>
#include <vector>

namespace portcullis::content::evals {
namespace {

bool isDottedQuad(std::string_view s) {
  int dots = 0;
  bool digit = false;
  for (char c : s) {
    if (c == '.') {
      if (!digit) return false;
      ++dots, digit = false;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      digit = true;
    } else {
      return false;
    }
  }
  return dots == 3 && digit;
}

bool digitsAndDots(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!(c == '.' || std::isdigit(static_cast<unsigned char>(c)))) return false;
  return true;
}

bool relayMatches(const relays::Relay& relay, const std::string& entry) {
  if (entry.size() > 2 && entry.front() == '[') {
    size_t close = entry.find(']');
    if (close == std::string::npos) return false;
    std::string listed = entry.substr(1, close - 1);
    if (relay.ip.empty()) return false;
    if (close + 1 == entry.size() && isDottedQuad(listed)) return listed == relay.ip;
    if (close + 1 == entry.size() && digitsAndDots(listed)) {
      while (!listed.empty() && listed.back() == '.') listed.pop_back();
      return relay.ip.starts_with(listed + ".");
    }
    // IPv6 entries and prefix lengths are not matched (see the report): no match.
    return false;
  }
  // /(?:^|\.)\Qdomain\E$/i against the relay's rDNS.
  const std::string& rdns = relay.lcRdns.empty() ? relay.rdns : relay.lcRdns;
  std::string lowerRdns;
  for (char c : rdns) lowerRdns += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!lowerRdns.ends_with(entry)) return false;
  size_t at = lowerRdns.size() - entry.size();
  return at == 0 || lowerRdns[at - 1] == '.';
}

}  // namespace

int welcomelistRcvd(const AddressLists& lists, const EvalContext& ctx, std::string_view list,
                    std::string_view address) {
  const relays::RelayPath& path = ctx.relays();
  if (path.trusted.empty() && path.untrusted.empty()) return 0;
  std::vector<const relays::Relay*> relays;
  if (!path.untrusted.empty())
    relays.push_back(&path.untrusted.front());
  else
    for (const relays::Relay& r : path.trusted) relays.push_back(&r);
  std::string addr;
  for (char c : address) addr += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  int found = 0;
  for (const AddressLists::RcvdEntry& entry : lists.rcvd(list)) {
    if (!addressGlobMatches(entry.pattern, addr)) continue;
    for (const std::string& domain : entry.relays) {
      for (const relays::Relay* relay : relays)
        if (relayMatches(*relay, domain)) return 1;
      found = -1;
    }
  }
  if (found && lists.contains("welcomelist_allows_relays", addr)) found = 0;
  return found;
}

}  // namespace portcullis::content::evals
