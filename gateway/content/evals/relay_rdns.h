// Whether a relay is known to have no reverse DNS (SpamAssassin's no_reverse_dns: the MTA that
// wrote the Received line always looks it up, and recorded none).
#pragma once
#include "gateway/content/relays/relay.h"

namespace portcullis::content::evals {

template <class R = relays::Relay>
bool knownToLackReverseDns(const R& relay) {
  // Relay paths that record whether the MTA looked the name up say so in noReverseDns; without
  // that field an empty rDNS is the best evidence there is.
  if constexpr (requires { relay.noReverseDns; })
    return relay.noReverseDns;
  else
    return relay.noRdns();
}

}  // namespace portcullis::content::evals
