#include <catch2/catch.hpp>

#include "tests/unit/evals/relay_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;
namespace relays = portcullis::content::relays;

TEST_CASE("check_no_relays: no relay and nothing unparseable", "[evals][relay]") {
  RelayEvalMessage msg("From: a@example.com\n\nbody\n");
  CHECK(checkNoRelays(msg.ctx(), {}) == 1);
}

TEST_CASE("check_no_relays: any relay or an unparseable Received", "[evals][relay]") {
  relays::RelayPath one;
  one.untrusted.push_back(relay("203.0.113.9", "", "b", "mx.example.com"));
  CHECK(checkNoRelays(RelayEvalMessage("From: a@example.com\n\nx\n", one).ctx(), {}) == 0);
  relays::RelayPath unparseable;
  unparseable.unparseable = 2;
  CHECK(checkNoRelays(RelayEvalMessage("From: a@example.com\n\nx\n", unparseable).ctx(), {}) == 0);
}
