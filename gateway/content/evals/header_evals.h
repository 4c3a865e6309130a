// SpamAssassin's header eval functions (HeaderEval.pm, FromNameSpoof.pm), one file each,
// under SpamAssassin's names. Each returns the hit count (0: no hit) and 0 on bad arguments.
#pragma once
#include <string>
#include <vector>

#include "gateway/content/evals/eval_context.h"

namespace portcullis::content::evals {

using EvalArgs = std::vector<std::string>;

int checkForMissingToHeader(const EvalContext& ctx, const EvalArgs& args);
int subjectIsAllCaps(const EvalContext& ctx, const EvalArgs& args);
int checkForToInSubject(const EvalContext& ctx, const EvalArgs& args);
int checkIllegalChars(const EvalContext& ctx, const EvalArgs& args);
int checkHeaderCountRange(const EvalContext& ctx, const EvalArgs& args);
int checkForShiftedDate(const EvalContext& ctx, const EvalArgs& args);
int checkEqualFromDomains(const EvalContext& ctx, const EvalArgs& args);
int checkOutlookMessageId(const EvalContext& ctx, const EvalArgs& args);
int checkRatwareNameId(const EvalContext& ctx, const EvalArgs& args);
int checkUnresolvedTemplate(const EvalContext& ctx, const EvalArgs& args);
int sortedRecipients(const EvalContext& ctx, const EvalArgs& args);
int similarRecipients(const EvalContext& ctx, const EvalArgs& args);
int checkForFarawayCharsetInHeaders(const EvalContext& ctx, const EvalArgs& args);

}  // namespace portcullis::content::evals
