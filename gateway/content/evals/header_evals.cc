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
  registry.add("check_equal_from_domains", checkEqualFromDomains);
  registry.add("check_outlook_message_id", checkOutlookMessageId);
  registry.add("check_ratware_name_id", checkRatwareNameId);
  registry.add("check_unresolved_template", checkUnresolvedTemplate);
  registry.add("sorted_recipients", sortedRecipients);
  registry.add("similar_recipients", similarRecipients);
  registry.add("check_for_faraway_charset_in_headers", checkForFarawayCharsetInHeaders);
}

}  // namespace portcullis::content::evals
