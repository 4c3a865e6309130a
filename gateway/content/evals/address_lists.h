// SpamAssassin's address lists (Conf.pm CONF_TYPE_ADDRLIST), built once per rule set from the
// settings in the order read: welcomelist_from, blocklist_from, welcomelist_to, blocklist_to,
// more_spam_to, all_spam_to (and their old whitelist/blacklist names), the named lists of
// enlist_addrlist / delist_addrlist, the un*list_from removals, and the *_from_rcvd lists
// whose entries also name the relay the mail must come through. Entries are file globs
// ('*' any run, '?' one character), matched whole and case-insensitively.
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/content/evals/eval_settings.h"

namespace portcullis::content::evals {

// Parser::add_to_addrlist's glob: `pattern` and `address` lower-cased.
bool addressGlobMatches(std::string_view pattern, std::string_view address);

class AddressLists {
 public:
  explicit AddressLists(const EvalSettings& settings);

  // Whether a list of that name was ever defined (SpamAssassin warns and misses otherwise).
  bool has(std::string_view list) const { return lists_.contains(list); }
  // _check_welcomelist: `address` (any case) matches an entry of `list`.
  bool contains(std::string_view list, std::string_view address) const;

  struct RcvdEntry {
    std::string pattern;              // the address glob, lower-cased
    std::vector<std::string> relays;  // rDNS domains or [IP] forms, lower-cased
  };
  const std::vector<RcvdEntry>& rcvd(std::string_view list) const;

 private:
  std::map<std::string, std::map<std::string, bool>, std::less<>> lists_;  // name -> entries
  std::map<std::string, std::vector<RcvdEntry>, std::less<>> rcvd_;
};

}  // namespace portcullis::content::evals
