#include <catch2/catch.hpp>

#include "tests/unit/evals/relay_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;

TEST_CASE("check_for_no_hotmail_received_headers: @hotmail.com From, no Hotmail hop",
          "[evals][relay]") {
  RelayEvalMessage msg(
      "Received: from dsl-203-0-113-5.example.net (dsl-203-0-113-5.example.net [203.0.113.5])\n"
      "    by mx.example.org with SMTP id 99; 1 Jan 2020 00:00:00 +0000\n"
      "From: \"Some One\" <someone@Hotmail.com>\n\nbody\n");
  CHECK(checkForNoHotmailReceivedHeaders(msg.ctx(), {}) == 1);
  CHECK(checkForForgedHotmailReceivedHeaders(msg.ctx(), {}) == 0);
}

TEST_CASE("check_for_no_hotmail_received_headers: other senders, Outlook.com's relays",
          "[evals][relay]") {
  RelayEvalMessage other(
      "Received: from a.example.net (a.example.net [203.0.113.5]) by mx.example.org; 1 Jan 2020\n"
      "From: someone@example.com\n\nbody\n");
  CHECK(checkForNoHotmailReceivedHeaders(other.ctx(), {}) == 0);
  RelayEvalMessage outlook(
      "Received: from EUR01-VE1-obe.outbound.protection.outlook.com\n"
      "    (mail-oln040092066056.outbound.protection.outlook.com [40.92.66.56])\n"
      "    by mx.example.org with ESMTPS id 42; 1 Jan 2020 00:00:00 +0000\n"
      "X-OriginatorOrg: hotmail.com\n"
      "From: someone@hotmail.com\n\nbody\n");
  CHECK(checkForNoHotmailReceivedHeaders(outlook.ctx(), {}) == 0);
  CHECK(checkForForgedHotmailReceivedHeaders(outlook.ctx(), {}) == 0);
}
