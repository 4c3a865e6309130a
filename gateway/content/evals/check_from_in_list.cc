// check_from_in_list (WLBLEval.pm): a sender address (all_from_addrs) is in the named
// enlist_addrlist list (__FROM_ADDRLIST_PAYPAL and the like).
#include "gateway/content/evals/list_evals.h"
#include "gateway/content/evals/sender_addresses.h"

namespace portcullis::content::evals {

int checkFromInList(const AddressLists& lists, const EvalContext& ctx, const ListArgs& args) {
  if (args.empty() || !lists.has(args[0])) return 0;
  return anyInList(lists, args[0], allFromAddresses(ctx)) ? 1 : 0;
}

}  // namespace portcullis::content::evals
