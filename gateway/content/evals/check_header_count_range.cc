// check_header_count_range (HeaderEval.pm): the number of distinct values of a header field
// (duplicates count once) is within [min, max].
#include <cstdlib>
#include <set>

#include "gateway/content/evals/header_evals.h"

namespace portcullis::content::evals {

int checkHeaderCountRange(const EvalContext& ctx, const EvalArgs& args) {
  if (args.size() < 3 || args[0].empty()) return 0;
  char* end = nullptr;
  double min = std::strtod(args[1].c_str(), &end);
  if (args[1].empty() || *end) return 0;
  double max = std::strtod(args[2].c_str(), &end);
  if (args[2].empty() || *end) return 0;
  std::vector<std::string> values = ctx.getAll(args[0]);
  std::set<std::string> distinct(values.begin(), values.end());
  double n = static_cast<double>(distinct.size());
  return n >= min && n <= max ? 1 : 0;
}

}  // namespace portcullis::content::evals
