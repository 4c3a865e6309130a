#include <catch2/catch.hpp>

#include "tests/unit/evals/relay_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;
namespace relays = portcullis::content::relays;

TEST_CASE("check_for_numeric_helo: a public IPv4 HELO", "[evals][relay]") {
  relays::RelayPath path;
  path.untrusted.push_back(relay("61.143.3.130", "", "217.167.180.65", "relay.example.com"));
  CHECK(checkForNumericHelo(RelayEvalMessage("From: a@b.example\n\nx\n", path).ctx(), {}) == 1);
}

TEST_CASE("check_for_numeric_helo: private, named, or not a whole address", "[evals][relay]") {
  auto run = [](std::string helo) {
    relays::RelayPath path;
    path.untrusted.push_back(relay("61.143.3.130", "", helo, "relay.example.com"));
    return checkForNumericHelo(RelayEvalMessage("From: a@b.example\n\nx\n", path).ctx(), {});
  };
  CHECK(run("192.168.0.2") == 0);
  CHECK(run("mail.example.com") == 0);
  CHECK(run("1.2.3.4.5") == 0);
  CHECK(run("[217.167.180.65]") == 0);
  CHECK(run("217.167.180.65") == 1);
}
