// SpamAssassin's DNS list evals, registered as network tests.
#include "gateway/content/evals/dns_evals.h"

namespace portcullis::content::evals {

void registerDnsEvals(EvalRegistry& registry, const EvalSettings& /*settings*/) {
  registry.addNetwork("check_rbl", checkRbl, checkRblPlanner());
  registry.addNetwork("check_rbl_txt", checkRblTxt, checkRblTxtPlanner());
  // Reads the answers of its set's check_rbl lookups; asks nothing itself.
  registry.addNetwork("check_rbl_sub", checkRblSub, {});
}

}  // namespace portcullis::content::evals
