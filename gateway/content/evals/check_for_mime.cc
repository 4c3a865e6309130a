// check_for_mime('mime_qp_long_line') and friends: one of _check_attachments' facts.
#include "gateway/content/evals/mime_evals.h"
#include "gateway/content/evals/mime_facts.h"

namespace portcullis::content::evals {

int checkForMime(const EvalContext& ctx, const Args& args) {
  if (args.empty()) return 0;
  return ctx.facts<MimeFacts>().flag(args[0]) ? 1 : 0;
}

}  // namespace portcullis::content::evals
