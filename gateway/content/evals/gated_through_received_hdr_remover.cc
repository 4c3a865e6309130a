// __GATED_THROUGH_RCVD_REMOVER: the message came through something that strips Received
// headers (an ezmlm list's qmail, MSN Groups) or has none at all, so the forged-Received tests
// have nothing to judge.
#include "gateway/content/evals/relay_evals.h"
#include "gateway/content/evals/relay_pattern.h"

namespace portcullis::content::evals {

int gatedThroughReceivedHdrRemover(const EvalContext& ctx, const EvalArgs& /*args*/) {
  static const RelayPattern ezmlm(R"(^contact \S+\@\S+\; run by ezmlm$)", false, true);
  static const RelayPattern listDelivery(R"(^mailing list \S+\@\S+)", false, true);
  static const RelayPattern qmailInvoked(
      R"(qmail \d+ invoked (?:from network|by .{3,20})\); \d+ ... \d+)");
  static const RelayPattern msnGroups(R"(from groups\.msn\.com \(\S+\.msn\.com )");

  if (!ctx.getAll("Mailing-List").empty() && ezmlm.search(ctx.get("Mailing-List")) &&
      listDelivery.search(ctx.get("Delivered-To")) && qmailInvoked.search(ctx.get("Received")))
    return 1;
  if (ctx.getAll("Received").empty()) return 1;
  return msnGroups.search(ctx.get("Received")) ? 1 : 0;
}

}  // namespace portcullis::content::evals
