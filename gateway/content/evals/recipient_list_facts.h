// The recipient list shape SpamAssassin's sorted_recipients / similar_recipients judge
// (HeaderEval.pm _check_recipients): the To/Cc addresses (Bcc when To and Cc give fewer than
// five), neighbouring duplicates dropped, at most 256; whether they are in sorted order, and
// how alike they are (shared first two characters of local part or host, over all pairs).
#pragma once
#include "gateway/content/evals/eval_context.h"

namespace portcullis::content::evals {

struct RecipientListFacts {
  explicit RecipientListFacts(const EvalContext& ctx);
  bool sorted = false;
  double similar = 0;
};

}  // namespace portcullis::content::evals
