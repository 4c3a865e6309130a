#include <catch2/catch.hpp>

#include "tests/unit/evals/relay_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;
namespace relays = portcullis::content::relays;

TEST_CASE("check_relays_unparseable", "[evals][relay]") {
  relays::RelayPath path;
  path.untrusted.push_back(relay("203.0.113.9", "", "b", "mx.example.com"));
  CHECK(checkRelaysUnparseable(RelayEvalMessage("From: a@b.example\n\nx\n", path).ctx(), {}) == 0);
  path.unparseable = 1;
  CHECK(checkRelaysUnparseable(RelayEvalMessage("From: a@b.example\n\nx\n", path).ctx(), {}) == 1);
}
