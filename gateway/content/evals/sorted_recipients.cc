// sorted_recipients (HeaderEval.pm): seven or more recipients in sorted order (SORTED_RECIPS),
// a harvested list mailed as it was sorted.
#include "gateway/content/evals/header_evals.h"
#include "gateway/content/evals/recipient_list_facts.h"

namespace portcullis::content::evals {

int sortedRecipients(const EvalContext& ctx, const EvalArgs& /*args*/) {
  return ctx.facts<RecipientListFacts>().sorted ? 1 : 0;
}

}  // namespace portcullis::content::evals
