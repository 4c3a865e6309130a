// check_to_in_all_spam (WLBLEval.pm): a recipient is in all_spam_to.
#include "gateway/content/evals/list_evals.h"
#include "gateway/content/evals/recipient_addresses.h"

namespace portcullis::content::evals {

int checkToInAllSpam(const AddressLists& lists, const EvalContext& ctx, const ListArgs& /*args*/) {
  return anyInList(lists, "all_spam_to", allToAddresses(ctx)) ? 1 : 0;
}

}  // namespace portcullis::content::evals
