#include <catch2/catch.hpp>

#include "tests/unit/evals/relay_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;
namespace relays = portcullis::content::relays;

// From RelayEval.pm's own example: "Received: from mx02.hotmail.com (www.sucasita.com.mx
// [148.223.251.99])" - but with no rDNS at all.
TEST_CASE("check_for_no_rdns_dotcom_helo: a hotmail.com HELO with no reverse DNS",
          "[evals][relay]") {
  relays::RelayPath path;
  path.untrusted.push_back(relay("148.223.251.99", "", "mx02.hotmail.com", "mx.example.org"));
  CHECK(checkForNoRdnsDotcomHelo(RelayEvalMessage("From: a@b.example\n\nx\n", path).ctx(), {}) ==
        1);
}

TEST_CASE("check_for_no_rdns_dotcom_helo: rDNS present, other HELO, private, later relay decides",
          "[evals][relay]") {
  auto run = [](std::vector<relays::Relay> hops) {
    relays::RelayPath path;
    path.untrusted = std::move(hops);
    return checkForNoRdnsDotcomHelo(RelayEvalMessage("From: a@b.example\n\nx\n", path).ctx(), {});
  };
  CHECK(run({relay("148.223.251.99", "www.sucasita.com.mx", "mx02.hotmail.com",
                   "mx.example.org")}) == 0);
  CHECK(run({relay("148.223.251.99", "", "mail.example.com", "mx.example.org")}) == 0);
  CHECK(run({relay("192.168.3.3", "", "yahoo.com", "mx.example.org")}) == 0);
  CHECK(run({relay("148.223.251.99", "", "YAHOO.COM", "mx.example.org")}) == 1);
  // SpamAssassin resets its answer at each public relay: the outermost one decides.
  CHECK(run({relay("148.223.251.99", "", "aol.com", "mx.example.org"),
             relay("198.51.100.3", "a.example.net", "a.example.net", "x.example.org")}) == 0);
  // "notyahoo.com" is not yahoo.com.
  CHECK(run({relay("148.223.251.99", "", "notyahoo.com", "mx.example.org")}) == 0);
}
