// check_from_in_welcomelist / check_from_in_whitelist (WLBLEval.pm): a sender address is in
// welcomelist_from, or in welcomelist_from_rcvd and came through the relay named there.
#include "gateway/content/evals/list_evals.h"
#include "gateway/content/evals/sender_addresses.h"
#include "gateway/content/evals/welcomelist_rcvd.h"

namespace portcullis::content::evals {

int checkFromInWelcomelist(const AddressLists& lists, const EvalContext& ctx,
                           const ListArgs& /*args*/) {
  for (const std::string& address : allFromAddresses(ctx)) {
    if (lists.contains("welcomelist_from", address)) return 1;
    if (welcomelistRcvd(lists, ctx, "welcomelist_from_rcvd", address) == 1) return 1;
  }
  return 0;
}

}  // namespace portcullis::content::evals
