// Whether a relay is known to have no reverse DNS (SpamAssassin's no_reverse_dns: the MTA that
// wrote the Received line looked it up and recorded none).
#pragma once
#include "gateway/content/relays/relay.h"

namespace portcullis::content::evals {

inline bool knownToLackReverseDns(const relays::Relay& relay) {
  return relay.noReverseDns;
}

}  // namespace portcullis::content::evals
