// check_replyto_in_list (WLBLEval.pm): the (first) Reply-To address is in the named list.
#include "gateway/content/evals/list_evals.h"
#include "gateway/content/evals/scalar_get.h"

namespace portcullis::content::evals {

int checkReplytoInList(const AddressLists& lists, const EvalContext& ctx, const ListArgs& args) {
  if (args.empty() || !lists.has(args[0])) return 0;
  std::string replyto = scalarGet(ctx, "Reply-To:addr");
  if (replyto.empty()) return 0;
  return lists.contains(args[0], replyto) ? 1 : 0;
}

}  // namespace portcullis::content::evals
