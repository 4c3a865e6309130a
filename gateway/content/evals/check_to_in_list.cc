// check_to_in_list (WLBLEval.pm): a recipient address (all_to_addrs) is in the named list.
#include "gateway/content/evals/list_evals.h"
#include "gateway/content/evals/recipient_addresses.h"

namespace portcullis::content::evals {

int checkToInList(const AddressLists& lists, const EvalContext& ctx, const ListArgs& args) {
  if (args.empty() || !lists.has(args[0])) return 0;
  return anyInList(lists, args[0], allToAddresses(ctx)) ? 1 : 0;
}

}  // namespace portcullis::content::evals
