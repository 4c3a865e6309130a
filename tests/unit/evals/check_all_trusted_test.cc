#include <catch2/catch.hpp>

#include "tests/unit/evals/relay_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;
namespace relays = portcullis::content::relays;

namespace {
const std::string kMessage = "From: a@example.com\nSubject: x\n\nbody\n";
}

TEST_CASE("check_all_trusted: every relay trusted", "[evals][relay]") {
  relays::RelayPath path;
  path.trusted.push_back(relay("10.0.0.5", "client.example.com", "client", "mx.example.com"));
  RelayEvalMessage msg(kMessage, path);
  CHECK(checkAllTrusted(msg.ctx(), {}) == 1);
}

TEST_CASE("check_all_trusted: an untrusted or unparseable hop, or no relay at all",
          "[evals][relay]") {
  relays::RelayPath untrusted;
  untrusted.trusted.push_back(relay("10.0.0.5", "a.example.com", "a", "mx.example.com"));
  untrusted.untrusted.push_back(relay("203.0.113.9", "", "b", "a.example.com"));
  CHECK(checkAllTrusted(RelayEvalMessage(kMessage, untrusted).ctx(), {}) == 0);

  relays::RelayPath unparseable;
  unparseable.trusted.push_back(relay("10.0.0.5", "a.example.com", "a", "mx.example.com"));
  unparseable.unparseable = 1;
  CHECK(checkAllTrusted(RelayEvalMessage(kMessage, unparseable).ctx(), {}) == 0);
  CHECK(checkAllTrusted(RelayEvalMessage(kMessage).ctx(), {}) == 0);
}
