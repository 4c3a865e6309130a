#include <catch2/catch.hpp>

#include "tests/unit/evals/relay_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;

// HeaderEval.pm's example of Eudora web mail.
TEST_CASE("check_for_forged_eudoramail_received_headers", "[evals][relay]") {
  const std::string genuine =
      "Received: from mx.example.org (mx.example.org [192.0.2.9]) by in.example.net; 1 Jan 2020\n"
      "Received: from Unknown/Local ([?.?.?.?]) by shared1-mail.whowhere.com;\n"
      "     Thu Nov 29 13:44:25 2001\n"
      "X-Sender-Ip: 192.175.21.146\n"
      "From: someone@eudoramail.com\n\nbody\n";
  CHECK(checkForForgedEudoramailReceivedHeaders(RelayEvalMessage(genuine).ctx(), {}) == 0);
  const std::string forged =
      "Received: from mx.example.org (mx.example.org [192.0.2.9]) by in.example.net; 1 Jan 2020\n"
      "X-Sender-Ip: 192.175.21.146\n"
      "From: someone@eudoramail.com\n\nbody\n";
  CHECK(checkForForgedEudoramailReceivedHeaders(RelayEvalMessage(forged).ctx(), {}) == 1);
  const std::string other =
      "Received: from mx.example.org (mx.example.org [192.0.2.9]) by in.example.net; 1 Jan 2020\n"
      "From: someone@example.com\n\nbody\n";
  CHECK(checkForForgedEudoramailReceivedHeaders(RelayEvalMessage(other).ctx(), {}) == 0);
}
