#include <catch2/catch.hpp>

#include "tests/unit/evals/relay_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;
namespace relays = portcullis::content::relays;

// The hops are those of spam/00301.68fe7955b96d085360ca916289e8e716 of the SpamAssassin public
// corpus ("Received: from 217.167.180.65 (unknown [61.143.3.130]) by relay.dub-t3-1..."),
// on which SpamAssassin 4.0.0 fires RCVD_HELO_IP_MISMATCH.
TEST_CASE("helo_ip_mismatch: a public IP HELO outside the client's /24", "[evals][relay]") {
  relays::RelayPath path;
  path.untrusted.push_back(relay("195.129.80.16", "relay.dub-t3-1.nwcgroup.com",
                                 "relay.dub-t3-1.nwcgroup.com", "lugh.tuatha.org"));
  path.untrusted.push_back(
      relay("61.143.3.130", "", "217.167.180.65", "relay.dub-t3-1.nwcgroup.com"));
  CHECK(heloIpMismatch(RelayEvalMessage("From: a@b.example\n\nx\n", path).ctx(), {}) == 1);
}

TEST_CASE("helo_ip_mismatch: same /24, private, equal or named HELOs", "[evals][relay]") {
  auto run = [](std::string ip, std::string helo) {
    relays::RelayPath path;
    path.untrusted.push_back(relay(ip, "", helo, "mx.example.com"));
    return heloIpMismatch(RelayEvalMessage("From: a@b.example\n\nx\n", path).ctx(), {});
  };
  CHECK(run("203.0.113.9", "203.0.113.77") == 0);
  CHECK(run("203.0.113.9", "203.0.113.9") == 0);
  CHECK(run("203.0.113.9", "192.168.1.4") == 0);
  CHECK(run("10.1.1.1", "203.0.113.9") == 0);
  CHECK(run("203.0.113.9", "mail.example.com") == 0);
  CHECK(run("203.0.113.9", "198.51.100.1") == 1);
  // A trusted hop is not judged.
  relays::RelayPath trusted;
  trusted.trusted.push_back(relay("203.0.113.9", "", "198.51.100.1", "mx.example.com"));
  CHECK(heloIpMismatch(RelayEvalMessage("From: a@b.example\n\nx\n", trusted).ctx(), {}) == 0);
}
