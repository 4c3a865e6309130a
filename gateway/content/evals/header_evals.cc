// SpamAssassin's header eval functions: the list of those implemented, one file each.
#include "gateway/content/evals/header_evals.h"

#include "gateway/content/evals/eval_registry.h"

namespace portcullis::content::evals {

void registerHeaderEvals(EvalRegistry& registry, const EvalSettings& /*settings*/) {
  registry.add("check_for_missing_to_header", checkForMissingToHeader);
  registry.add("subject_is_all_caps", subjectIsAllCaps);
  registry.add("check_for_to_in_subject", checkForToInSubject);
  registry.add("check_illegal_chars", checkIllegalChars);
  registry.add("check_header_count_range", checkHeaderCountRange);
  registry.add("check_for_shifted_date", checkForShiftedDate);
}

}  // namespace portcullis::content::evals
