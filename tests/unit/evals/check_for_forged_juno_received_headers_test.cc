#include <catch2/catch.hpp>

#include "tests/unit/evals/relay_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;

TEST_CASE("check_for_forged_juno_received_headers: @juno.com from a foreign host",
          "[evals][relay]") {
  RelayEvalMessage msg(
      "Received: from dsl.example.net (dsl.example.net [203.0.113.5]) by mx.example.org; 1 Jan "
      "2020\n"
      "X-Originating-IP: 203.0.113.5\n"
      "X-Mailer: Foo Mailer 1.0\n"
      "From: someone@juno.com\n\nbody\n");
  CHECK(checkForForgedJunoReceivedHeaders(msg.ctx(), {}) == 1);
}

TEST_CASE("check_for_forged_juno_received_headers: Juno's relay and client", "[evals][relay]") {
  RelayEvalMessage msg(
      "Received: from m12.untd.com (m12.untd.com [64.136.22.75]) by mx.example.org; 1 Jan 2020\n"
      "X-Originating-IP: 203.0.113.5\n"
      "X-Mailer: Juno 5.0.33\n"
      "From: someone@juno.com\n\nbody\n");
  CHECK(checkForForgedJunoReceivedHeaders(msg.ctx(), {}) == 0);
  RelayEvalMessage other(
      "Received: from a.example.net (a.example.net [203.0.113.5]) by mx.example.org; 1 Jan 2020\n"
      "From: someone@example.com\n\nbody\n");
  CHECK(checkForForgedJunoReceivedHeaders(other.ctx(), {}) == 0);
}
