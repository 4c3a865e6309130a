// check_base64_length(min[, max]): the longest raw line of any base64 part (BASE64_LENGTH_*).
#include "gateway/content/evals/mime_eval_args.h"
#include "gateway/content/evals/mime_evals.h"
#include "gateway/content/evals/mime_facts.h"

namespace portcullis::content::evals {

int checkBase64Length(const EvalContext& ctx, const Args& args) {
  auto min = numberArg(args, 0);
  if (!min) return 0;
  auto max = numberArg(args, 1);
  const SaMimeTree& tree = ctx.facts<MimeFacts>().tree;
  size_t longest = 0;
  for (const SaPart* p : tree.findParts([](const std::string&) { return true; }, true)) {
    auto types = p->headerAll("content-type");
    if (parseSaContentType(types.empty() ? std::string() : types.back() + "\n").type ==
        "application/ics")
      continue;
    std::string cte = p->header("content-transfer-encoding");
    for (char& c : cte)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (cte != "base64") continue;
    for (const auto& line : p->raw) longest = std::max(longest, line.size());
  }
  double length = static_cast<double>(longest);
  if (max && length > *max) return 0;
  return length >= *min ? 1 : 0;
}

}  // namespace portcullis::content::evals
