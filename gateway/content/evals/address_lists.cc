#include "gateway/content/evals/address_lists.h"

#include <cctype>

namespace portcullis::content::evals {
namespace {

std::string lower(std::string_view s) {
  std::string out;
  for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> words(std::string_view value) {
  std::vector<std::string> out;
  std::string current;
  for (char c : value) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

// The list a setting adds to or removes from; "" when the setting is no address list.
struct ListSetting {
  std::string_view key, list;
  bool remove;
};
constexpr ListSetting kListSettings[] = {
    {"welcomelist_from", "welcomelist_from", false},
    {"whitelist_from", "welcomelist_from", false},
    {"unwelcomelist_from", "welcomelist_from", true},
    {"unwhitelist_from", "welcomelist_from", true},
    {"blocklist_from", "blocklist_from", false},
    {"blacklist_from", "blocklist_from", false},
    {"unblocklist_from", "blocklist_from", true},
    {"unblacklist_from", "blocklist_from", true},
    {"welcomelist_to", "welcomelist_to", false},
    {"whitelist_to", "welcomelist_to", false},
    {"blocklist_to", "blocklist_to", false},
    {"blacklist_to", "blocklist_to", false},
    {"more_spam_to", "more_spam_to", false},
    {"all_spam_to", "all_spam_to", false},
    {"welcomelist_allows_relays", "welcomelist_allows_relays", false},
    {"whitelist_allows_relays", "welcomelist_allows_relays", false},
};

constexpr std::pair<std::string_view, std::string_view> kRcvdSettings[] = {
    {"welcomelist_from_rcvd", "welcomelist_from_rcvd"},
    {"whitelist_from_rcvd", "welcomelist_from_rcvd"},
    {"def_welcomelist_from_rcvd", "def_welcomelist_from_rcvd"},
    {"def_whitelist_from_rcvd", "def_welcomelist_from_rcvd"},
};

// "(NAME) addr addr...": the name and the addresses; false when malformed.
bool splitNamedList(std::string_view value, std::string& name, std::vector<std::string>& addrs) {
  if (value.empty() || value[0] != '(') return false;
  size_t close = value.find(')');
  if (close == std::string_view::npos || close < 2) return false;
  if (close + 1 >= value.size() || !std::isspace(static_cast<unsigned char>(value[close + 1])))
    return false;
  name = std::string(value.substr(1, close - 1));
  addrs = words(value.substr(close + 1));
  return !addrs.empty();
}

}  // namespace

bool addressGlobMatches(std::string_view pattern, std::string_view address) {
  // Iterative glob with one backtrack point per '*' (linear enough for addresses).
  size_t p = 0, a = 0, star = std::string_view::npos, mark = 0;
  while (a < address.size()) {
    char pc = p < pattern.size() ? pattern[p] : '\0';
    // The paranoia rewrite: NUL, backslash and '(' in an entry stand for a literal '_'.
    if (pc == '\\' || pc == '(' || (p < pattern.size() && pc == '\0')) pc = '_';
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = a;
    } else if (p < pattern.size() && ((pc == '?' && address[a] != '\n') || pc == address[a])) {
      ++p, ++a;
    } else if (star != std::string_view::npos && address[mark] != '\n') {
      p = star + 1;
      a = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

AddressLists::AddressLists(const EvalSettings& settings) {
  for (const rules::Setting& s : settings.all()) {
    for (const ListSetting& ls : kListSettings) {
      if (s.key != ls.key) continue;
      auto& list = lists_[std::string(ls.list)];
      for (const std::string& w : words(s.value)) {
        if (ls.remove)
          list.erase(lower(w));
        else
          list[lower(w)] = true;
      }
    }
    if (s.key == "enlist_addrlist" || s.key == "delist_addrlist") {
      std::string name;
      std::vector<std::string> addrs;
      if (!splitNamedList(s.value, name, addrs)) continue;
      auto& list = lists_[name];
      for (const std::string& w : addrs) {
        if (s.key == "enlist_addrlist")
          list[lower(w)] = true;
        else
          list.erase(lower(w));
      }
    }
    for (const auto& [key, name] : kRcvdSettings) {
      if (s.key != key) continue;
      std::vector<std::string> w = words(s.value);
      if (w.size() != 2) continue;
      auto& list = rcvd_[std::string(name)];
      std::string pattern = lower(w[0]);
      bool merged = false;
      for (RcvdEntry& e : list)
        if (e.pattern == pattern) e.relays.push_back(lower(w[1])), merged = true;
      if (!merged) list.push_back({pattern, {lower(w[1])}});
    }
    if (s.key == "unwelcomelist_from_rcvd" || s.key == "unwhitelist_from_rcvd") {
      for (const std::string& w : words(s.value)) {
        auto& list = rcvd_["welcomelist_from_rcvd"];
        std::erase_if(list, [&](const RcvdEntry& e) { return e.pattern == lower(w); });
      }
    }
  }
}

bool AddressLists::contains(std::string_view list, std::string_view address) const {
  auto it = lists_.find(list);
  if (it == lists_.end()) return false;
  std::string addr = lower(address);
  if (it->second.contains(addr)) return true;
  for (const auto& [pattern, present] : it->second)
    if (present && addressGlobMatches(pattern, addr)) return true;
  return false;
}

const std::vector<AddressLists::RcvdEntry>& AddressLists::rcvd(std::string_view list) const {
  static const std::vector<RcvdEntry> kNone;
  auto it = rcvd_.find(list);
  return it == rcvd_.end() ? kNone : it->second;
}

}  // namespace portcullis::content::evals
