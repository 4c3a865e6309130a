// check_to_in_blocklist / check_to_in_blacklist (WLBLEval.pm): a recipient is in blocklist_to.
#include "gateway/content/evals/list_evals.h"
#include "gateway/content/evals/recipient_addresses.h"

namespace portcullis::content::evals {

int checkToInBlocklist(const AddressLists& lists, const EvalContext& ctx,
                       const ListArgs& /*args*/) {
  return anyInList(lists, "blocklist_to", allToAddresses(ctx)) ? 1 : 0;
}

}  // namespace portcullis::content::evals
