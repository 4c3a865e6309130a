#include <catch2/catch.hpp>

#include "tests/unit/evals/relay_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;
namespace relays = portcullis::content::relays;

TEST_CASE("check_for_forged_received_trail: two hops whose by does not chain", "[evals][relay]") {
  // Each hop's receiving domain should be the domain the hop above saw it come from.
  relays::RelayPath path;
  path.untrusted.push_back(relay("192.0.2.1", "mx.alpha.com", "mx.alpha.com", "mail.ourhost.com"));
  path.untrusted.push_back(relay("192.0.2.2", "out.beta.com", "out.beta.com", "in.gamma.com"));
  path.untrusted.push_back(
      relay("192.0.2.3", "smtp.delta.com", "smtp.delta.com", "in.epsilon.com"));
  CHECK(checkForForgedReceivedTrail(RelayEvalMessage("From: a@b.example\n\nx\n", path).ctx(), {}) ==
        1);
}

TEST_CASE("check_for_forged_received_trail: a chained trail, one break, msn/hotmail",
          "[evals][relay]") {
  relays::RelayPath chained;
  chained.untrusted.push_back(
      relay("192.0.2.1", "mx.alpha.com", "mx.alpha.com", "mail.ourhost.com"));
  chained.untrusted.push_back(relay("192.0.2.2", "out.beta.com", "out.beta.com", "in.alpha.com"));
  chained.untrusted.push_back(
      relay("192.0.2.3", "smtp.delta.com", "smtp.delta.com", "gw.beta.com"));
  CHECK(checkForForgedReceivedTrail(RelayEvalMessage("From: a@b.example\n\nx\n", chained).ctx(),
                                    {}) == 0);

  relays::RelayPath oneBreak = chained;
  oneBreak.untrusted[2].by = oneBreak.untrusted[2].lcBy = "in.zeta.com";
  CHECK(checkForForgedReceivedTrail(RelayEvalMessage("From: a@b.example\n\nx\n", oneBreak).ctx(),
                                    {}) == 0);

  // Hotmail hands mail to msn.com hosts: not a break.
  relays::RelayPath msn;
  msn.untrusted.push_back(
      relay("192.0.2.1", "f1.law.hotmail.com", "hotmail.com", "mx.ourhost.com"));
  msn.untrusted.push_back(relay("192.0.2.2", "x.other.com", "x", "mc1.msn.com"));
  msn.untrusted.push_back(relay("192.0.2.3", "y.more.com", "y", "z.unrelated.com"));
  CHECK(checkForForgedReceivedTrail(RelayEvalMessage("From: a@b.example\n\nx\n", msn).ctx(), {}) ==
        0);
}
