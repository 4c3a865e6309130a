#include <catch2/catch.hpp>

#include "tests/unit/evals/relay_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;

TEST_CASE("have_any_bounce_relays: set by either name", "[evals][relay]") {
  CHECK(haveAnyBounceRelays(BounceRelays(settings({}))) == 0);
  CHECK(haveAnyBounceRelays(
            BounceRelays(settings({{"welcomelist_bounce_relays", "out.example.com"}}))) == 1);
  CHECK(haveAnyBounceRelays(
            BounceRelays(settings({{"whitelist_bounce_relays", "out.example.com"}}))) == 1);
}
