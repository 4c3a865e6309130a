// check_freemail_from (FreeMail.pm): one of the sender addresses (PerMsgStatus all_from_addrs:
// Resent-From, else From, Envelope-Sender, Resent-Sender, X-Envelope-From and the envelope) is
// at a free mail provider (and matches the optional regex).
#include <set>

#include "gateway/content/evals/freemail_evals.h"
#include "gateway/content/evals/sender_addresses.h"

namespace portcullis::content::evals {

int checkFreemailFrom(const FreemailConfig& config, const EvalContext& ctx,
                      const std::vector<std::string>& args) {
  if (!config.available()) return 0;
  std::shared_ptr<const PcrePattern> re;
  if (!args.empty()) {
    re = PcrePattern::ofRuleArgument(args[0], false);
    if (!re) return 0;
  }
  std::set<std::string> addresses;
  for (std::string address : allFromAddresses(ctx)) {
    for (char& c : address) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!address.empty()) addresses.insert(address);
  }
  for (const std::string& email : addresses) {
    if (!config.isFreemail(email)) continue;
    if (re && !re->search(email)) continue;
    return 1;
  }
  return 0;
}

}  // namespace portcullis::content::evals
