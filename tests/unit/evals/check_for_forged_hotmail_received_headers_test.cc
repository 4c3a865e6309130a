#include <catch2/catch.hpp>

#include "tests/unit/evals/relay_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;

TEST_CASE("check_for_forged_hotmail_received_headers: HELO'd as hotmail.com", "[evals][relay]") {
  RelayEvalMessage msg(
      "Received: from mx.example.org (mx.example.org [192.0.2.9]) by in.example.net; 1 Jan 2020\n"
      "Received: from hotmail.com (dsl-203-0-113-5.example.net [203.0.113.5]) by mx.example.org\n"
      "    with SMTP id 99; 1 Jan 2020 00:00:00 +0000\n"
      "From: someone@hotmail.com\n\nbody\n");
  CHECK(checkForForgedHotmailReceivedHeaders(msg.ctx(), {}) == 1);
  CHECK(checkForNoHotmailReceivedHeaders(msg.ctx(), {}) == 0);
}

// The real Hotmail form, from the SpamAssassin public corpus (easy_ham, xent.com list):
// "Received: from hotmail.com (f9.law15.hotmail.com [64.4.23.9]) by xent.com".
TEST_CASE("check_for_forged_hotmail_received_headers: Hotmail's own relay with X-Originating-IP",
          "[evals][relay]") {
  RelayEvalMessage msg(
      "Received: from hotmail.com (f9.law15.hotmail.com [64.4.23.9]) by xent.com\n"
      "    (Postfix) with ESMTP id 1A2B3C; Mon, 2 Sep 2002 10:00:00 -0700 (PDT)\n"
      "X-Originating-IP: [24.1.2.3]\n"
      "From: someone@hotmail.com\n\nbody\n");
  CHECK(checkForForgedHotmailReceivedHeaders(msg.ctx(), {}) == 0);
  CHECK(checkForNoHotmailReceivedHeaders(msg.ctx(), {}) == 0);
}

TEST_CASE("check_for_forged_hotmail_received_headers: the same without X-Originating-IP",
          "[evals][relay]") {
  RelayEvalMessage msg(
      "Received: from hotmail.com (f9.law15.hotmail.com [64.4.23.9]) by xent.com\n"
      "    (Postfix) with ESMTP id 1A2B3C; Mon, 2 Sep 2002 10:00:00 -0700 (PDT)\n"
      "From: someone@hotmail.com\n\nbody\n");
  CHECK(checkForForgedHotmailReceivedHeaders(msg.ctx(), {}) == 1);
}
