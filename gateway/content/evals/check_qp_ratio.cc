// check_qp_ratio(min): needlessly quoted-printable-escaped characters per QP byte.
#include "gateway/content/evals/mime_eval_args.h"
#include "gateway/content/evals/mime_evals.h"
#include "gateway/content/evals/mime_facts.h"

namespace portcullis::content::evals {

int checkQpRatio(const EvalContext& ctx, const Args& args) {
  auto min = numberArg(args, 0);
  if (!min) return 0;
  return ctx.facts<MimeFacts>().qpRatio >= *min ? 1 : 0;
}

}  // namespace portcullis::content::evals
