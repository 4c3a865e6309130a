// check_to_in_more_spam (WLBLEval.pm): a recipient is in more_spam_to.
#include "gateway/content/evals/list_evals.h"
#include "gateway/content/evals/recipient_addresses.h"

namespace portcullis::content::evals {

int checkToInMoreSpam(const AddressLists& lists, const EvalContext& ctx, const ListArgs& /*args*/) {
  return anyInList(lists, "more_spam_to", allToAddresses(ctx)) ? 1 : 0;
}

}  // namespace portcullis::content::evals
