// check_mime_multipart_ratio(min, max): text/plain bytes over text/html bytes in a
// multipart/alternative message, min <= ratio < max (MIME_HTML_MOSTLY).
#include "gateway/content/evals/mime_eval_args.h"
#include "gateway/content/evals/mime_evals.h"
#include "gateway/content/evals/mime_facts.h"

namespace portcullis::content::evals {

int checkMimeMultipartRatio(const EvalContext& ctx, const Args& args) {
  if (args.size() < 2) return 0;
  double ratio = ctx.facts<MimeFacts>().multipartRatio;
  return ratio >= perlNumber(args[0]) && ratio < perlNumber(args[1]) ? 1 : 0;
}

}  // namespace portcullis::content::evals
