// The dates SpamAssassin's date tests compare (HeaderEval.pm): the message's own date
// (Resent-Date before Date) and the dates of the Received headers, and the difference between
// them it calls date_diff.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "gateway/content/evals/eval_context.h"

namespace portcullis::content::evals {

struct MessageDateFacts {
  explicit MessageDateFacts(const EvalContext& ctx);

  std::optional<int64_t> headerTime;   // _get_date_header_time
  std::vector<int64_t> receivedTimes;  // _get_received_header_times, nearest first
  // Date minus the closest Received date, in seconds; 0 when either side is missing.
  int64_t dateDiff = 0;
};

}  // namespace portcullis::content::evals
