// check_freemail_header (FreeMail.pm): an address of the named header is at a free mail
// provider (and, with a second argument, matches that regex: '\d@' for an address ending in a
// digit).
#include "gateway/content/evals/freemail_evals.h"

namespace portcullis::content::evals {

int checkFreemailHeader(const FreemailConfig& config, const EvalContext& ctx,
                        const std::vector<std::string>& args) {
  if (!config.available() || args.empty() || args[0].empty()) return 0;
  std::shared_ptr<const PcrePattern> re;
  if (args.size() > 1) {
    re = PcrePattern::ofRuleArgument(args[1], false);
    if (!re) return 0;
  }
  for (const std::string& email : lowerAddresses(ctx, args[0])) {
    if (!config.isFreemail(email)) continue;
    if (re && !re->search(email)) continue;
    return 1;
  }
  return 0;
}

}  // namespace portcullis::content::evals
