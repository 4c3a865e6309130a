#include <catch2/catch.hpp>

#include "tests/unit/evals/relay_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;

TEST_CASE("check_for_matching_env_and_hdr_from", "[evals][relay]") {
  RelayEvalMessage same("Return-Path: <Someone@Example.com>\nFrom: someone@example.com\n\nx\n");
  CHECK(checkForMatchingEnvAndHdrFrom(same.ctx(), {}) == 1);
  RelayEvalMessage differ(
      "Return-Path: <bounce@lists.example.com>\nFrom: someone@example.com\n\nx\n");
  CHECK(checkForMatchingEnvAndHdrFrom(differ.ctx(), {}) == 0);
  // A Return-Path below a Received line may be a list's: not the envelope sender.
  RelayEvalMessage below(
      "Received: from a.example.net by mx.example.org; 1 Jan 2020\n"
      "Return-Path: <someone@example.com>\nFrom: someone@example.com\n\nx\n");
  CHECK(checkForMatchingEnvAndHdrFrom(below.ctx(), {}) == 0);
  // The last untrusted relay's recorded envelope sender comes first.
  portcullis::content::relays::RelayPath path;
  path.untrusted.push_back(relay("203.0.113.5", "", "h", "mx.example.org", "someone@example.com"));
  RelayEvalMessage relayed("Return-Path: <other@example.com>\nFrom: someone@example.com\n\nx\n",
                           path);
  CHECK(checkForMatchingEnvAndHdrFrom(relayed.ctx(), {}) == 1);
  // The front door's MAIL FROM above all.
  Envelope envelope;
  envelope.mailFrom = "someone@example.com";
  RelayEvalMessage smtp("From: someone@example.com\n\nx\n", {}, {}, envelope);
  CHECK(checkForMatchingEnvAndHdrFrom(smtp.ctx(), {}) == 1);
}
