// check_from_in_default_welcomelist / check_from_in_default_whitelist (WLBLEval.pm): a sender
// address is in def_welcomelist_from_rcvd and came through the relay named there.
#include "gateway/content/evals/list_evals.h"
#include "gateway/content/evals/sender_addresses.h"
#include "gateway/content/evals/welcomelist_rcvd.h"

namespace portcullis::content::evals {

int checkFromInDefaultWelcomelist(const AddressLists& lists, const EvalContext& ctx,
                                  const ListArgs& /*args*/) {
  for (const std::string& address : allFromAddresses(ctx))
    if (welcomelistRcvd(lists, ctx, "def_welcomelist_from_rcvd", address) == 1) return 1;
  return 0;
}

}  // namespace portcullis::content::evals
