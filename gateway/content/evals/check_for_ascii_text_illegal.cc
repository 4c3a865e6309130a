// check_for_ascii_text_illegal: a text/plain us-ascii part carrying NUL, CR or 8-bit bytes.
#include "gateway/content/evals/mime_evals.h"
#include "gateway/content/evals/mime_facts.h"

namespace portcullis::content::evals {

int checkForAsciiTextIllegal(const EvalContext& ctx, const Args& /*args*/) {
  return ctx.facts<MimeFacts>().asciiTextIllegal > 0 ? 1 : 0;
}

}  // namespace portcullis::content::evals
