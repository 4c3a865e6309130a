// check_from_in_blocklist, and its old name check_from_in_blacklist (WLBLEval.pm): a sender
// address is in blocklist_from.
#include "gateway/content/evals/list_evals.h"
#include "gateway/content/evals/sender_addresses.h"

namespace portcullis::content::evals {

int checkFromInBlocklist(const AddressLists& lists, const EvalContext& ctx,
                         const ListArgs& /*args*/) {
  return anyInList(lists, "blocklist_from", allFromAddresses(ctx)) ? 1 : 0;
}

}  // namespace portcullis::content::evals
