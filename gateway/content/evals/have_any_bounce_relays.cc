// __HAVE_BOUNCE_RELAYS: the configuration names the relays its own outbound mail goes through
// (welcomelist_bounce_relays), so a bounce of that mail can be told from backscatter.
#include "gateway/content/evals/relay_evals.h"

namespace portcullis::content::evals {

int haveAnyBounceRelays(const BounceRelays& relays) {
  return relays.globs.empty() ? 0 : 1;
}

}  // namespace portcullis::content::evals
