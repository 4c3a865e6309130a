// WLBLEval.pm _check_welcomelist_rcvd: an address listed in a *_from_rcvd list counts only when
// the mail came through the relay the entry names (its rDNS domain, or an [IPv4] address or
// classful subnet) - the first untrusted relay, or the trusted ones when all are trusted.
// 1: listed and came the right way; -1: listed but came another way (forged?) unless
// welcomelist_allows_relays lets it; 0: not listed.
#pragma once
#include <string_view>

#include "gateway/content/evals/address_lists.h"
#include "gateway/content/evals/eval_context.h"

namespace portcullis::content::evals {

int welcomelistRcvd(const AddressLists& lists, const EvalContext& ctx, std::string_view list,
                    std::string_view address);

}  // namespace portcullis::content::evals
