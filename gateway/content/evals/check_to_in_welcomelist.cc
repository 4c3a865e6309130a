// check_to_in_welcomelist / check_to_in_whitelist (WLBLEval.pm): a recipient is in
// welcomelist_to.
#include "gateway/content/evals/list_evals.h"
#include "gateway/content/evals/recipient_addresses.h"

namespace portcullis::content::evals {

int checkToInWelcomelist(const AddressLists& lists, const EvalContext& ctx,
                         const ListArgs& /*args*/) {
  return anyInList(lists, "welcomelist_to", allToAddresses(ctx)) ? 1 : 0;
}

}  // namespace portcullis::content::evals
