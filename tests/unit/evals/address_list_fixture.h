// Address-list settings as the stock rules and a local.cf write them.
#pragma once
#include "gateway/content/evals/eval_settings.h"

namespace portcullis::content::evals::testing {

inline EvalSettings addressListSettings() {
  return EvalSettings({
      {"enlist_addrlist", "(PAYPAL) *@paypal.com *@*.paypal.co.uk", "t.cf", 1},
      {"enlist_addrlist", "(PAYPAL) service@paypal.de", "t.cf", 2},
      {"delist_addrlist", "(PAYPAL) service@paypal.de", "t.cf", 3},
      {"blocklist_from", "*@spammer.example", "t.cf", 4},
      {"blacklist_from", "bad?@example.org", "t.cf", 5},
      {"welcomelist_from", "boss@example.com friend@*.example.net", "t.cf", 6},
      {"unwelcomelist_from", "friend@*.example.net", "t.cf", 7},
      {"welcomelist_to", "postmaster@example.com", "t.cf", 8},
      {"more_spam_to", "*@traps.example.com", "t.cf", 9},
      {"all_spam_to", "spamlover@example.com", "t.cf", 10},
      {"blocklist_to", "closed@example.com", "t.cf", 11},
      {"welcomelist_from_rcvd", "news@lists.example.org example.org", "t.cf", 12},
  });
}

}  // namespace portcullis::content::evals::testing
