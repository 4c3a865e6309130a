#include <catch2/catch.hpp>

#include "tests/unit/evals/relay_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;
namespace relays = portcullis::content::relays;

TEST_CASE("check_for_sender_no_reverse: the outermost relay has a dotted rDNS and a public IP",
          "[evals][relay]") {
  relays::RelayPath path;
  path.untrusted.push_back(relay("192.0.2.1", "mx.example.com", "mx", "in.example.org"));
  path.untrusted.push_back(relay("204.32.147.84", "mx1.eudoramail.com", "mx1", "mx.example.com"));
  CHECK(checkForSenderNoReverse(RelayEvalMessage("From: a@b.example\n\nx\n", path).ctx(), {}) == 1);
}

TEST_CASE("check_for_sender_no_reverse: no rDNS, private, or no relay", "[evals][relay]") {
  auto run = [](std::string ip, std::string rdns) {
    relays::RelayPath path;
    path.untrusted.push_back(relay(ip, rdns, "h", "mx.example.com"));
    return checkForSenderNoReverse(RelayEvalMessage("From: a@b.example\n\nx\n", path).ctx(), {});
  };
  CHECK(run("204.32.147.84", "") == 0);
  CHECK(run("204.32.147.84", "localhost") == 0);
  CHECK(run("10.3.3.3", "a.example.com") == 0);
  CHECK(checkForSenderNoReverse(RelayEvalMessage("From: a@b.example\n\nx\n").ctx(), {}) == 0);
}
