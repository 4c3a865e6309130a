// __RP_MATCHES_RCVD: the envelope sender's registered domain is that of the first untrusted
// relay's reverse DNS (or, when every relay is trusted, of any trusted relay's) - the sender's
// own domain handed the message over.
#include "gateway/content/evals/relay_envelope_from.h"
#include "gateway/content/evals/relay_evals.h"

namespace portcullis::content::evals {

int checkMailfromMatchesRcvd(const EvalContext& ctx, const DomainBoundaries& boundaries) {
  std::string sender = saEnvelopeFrom(ctx).value_or("");
  // / \@ ( [^\@]+ \. [^\@]+ ) \z/x: the part after the last '@', with a dot inside it.
  size_t at = sender.rfind('@');
  if (at == std::string::npos) return 0;
  std::string domain = sender.substr(at + 1);
  if (domain.size() < 3 || domain.substr(1, domain.size() - 2).find('.') == std::string::npos)
    return 0;

  const auto& path = ctx.relays();
  std::vector<const relays::Relay*> candidates;
  // Only the first untrusted relay when there is one: a trusted relay further in could have
  // been named by the forger.
  if (!path.untrusted.empty())
    candidates.push_back(&path.untrusted.front());
  else
    for (const auto& relay : path.trusted) candidates.push_back(&relay);

  std::string senderDomain = boundaries.split(domain).second;
  for (const auto* relay : candidates) {
    if (relay->lcRdns.empty()) continue;
    if (boundaries.split(relay->lcRdns).second == senderDomain) return 1;
  }
  return 0;
}

}  // namespace portcullis::content::evals
