// check_body_length(max): the message body (everything after the header section, as received)
// is at most `max` bytes (__KAM_BODY_LENGTH_LT_*).
#include "gateway/content/evals/body_evals.h"
#include "gateway/content/evals/mime_eval_args.h"
#include "gateway/content/evals/mime_facts.h"

namespace portcullis::content::evals {

int checkBodyLength(const EvalContext& ctx, const std::vector<std::string>& args) {
  auto max = numberArg(args, 0);
  if (!max) return 0;
  return static_cast<double>(ctx.facts<MimeFacts>().tree.pristineBodyLength) <= *max ? 1 : 0;
}

}  // namespace portcullis::content::evals
