// check_abundant_unicode_ratio(ratio): literal &#xHHHH; entities in unencoded text/plain parts
// at least `ratio` of its characters.
#include <regex>

#include "gateway/content/evals/mime_eval_args.h"
#include "gateway/content/evals/mime_evals.h"
#include "gateway/content/evals/mime_facts.h"

namespace portcullis::content::evals {

int checkAbundantUnicodeRatio(const EvalContext& ctx, const Args& args) {
  static const std::regex shape("\\d{0,3}\\.\\d{1,3}\\n?");
  if (args.empty() || !std::regex_match(args[0], shape)) return 0;
  return ctx.facts<MimeFacts>().textUnicodeRatio >= perlNumber(args[0]) ? 1 : 0;
}

}  // namespace portcullis::content::evals
