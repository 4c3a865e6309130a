// tvd_vertical_words(min, max): the highest share of spaces to non-spaces over the body's lines
// longer than five characters, min <= share < max (text written one letter per line).
#include <algorithm>

#include "gateway/content/evals/body_evals.h"
#include "gateway/content/evals/mime_eval_args.h"

namespace portcullis::content::evals {

int tvdVerticalWords(const EvalContext& ctx, const std::vector<std::string>& args) {
  if (args.size() < 2) return 0;
  double min = perlNumber(args[0]);
  double max = perlNumber(args[1]);
  if (max >= 100) max = 101;
  long worst = -1;
  for (const std::string& line : ctx.text().body()) {
    if (line.size() <= 5) continue;
    long spaces = static_cast<long>(std::count(line.begin(), line.end(), ' '));
    long others = static_cast<long>(line.size()) - spaces;
    long pct = (spaces > others || others == 0) ? 100 : (100 * spaces) / others;
    worst = std::max(worst, pct);
  }
  return worst >= min && worst < max ? 1 : 0;
}

}  // namespace portcullis::content::evals
