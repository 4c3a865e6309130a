#include <catch2/catch.hpp>

#include "tests/unit/evals/relay_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;

// Received lines of spam/00301.68fe7955b96d085360ca916289e8e716 (SpamAssassin public corpus);
// SpamAssassin 4.0.0 fires __FORGED_AOL_RCVD on it.
TEST_CASE("check_for_fake_aol_relay_in_rcvd: a spammer's rly-xx00 relay", "[evals][relay]") {
  RelayEvalMessage msg(
      "Received: from 217.167.180.65 (unknown [61.143.3.130]) by\n"
      "    relay.dub-t3-1.nwcgroup.com (Postfix) with SMTP id 106247003F for\n"
      "    <social@linux.ie>; Sat, 14 Sep 2002 20:03:39 +0100 (IST)\n"
      "Received: from unknown (52.127.142.42) by rly-xl04.mx.aol.com with smtp;\n"
      "    Sep, 14 2002 19:53:57 +1200\n"
      "From: gvl Designer Replicas <pfcsales@sunglasses.com>\n\nbody\n");
  CHECK(checkForFakeAolRelayInRcvd(msg.ctx(), {}) == 1);
}

// HeaderEval.pm's examples of AOL's own relays.
TEST_CASE("check_for_fake_aol_relay_in_rcvd: AOL's own relays, or no AOL name", "[evals][relay]") {
  RelayEvalMessage aolSendmail(
      "Received: from logs-tr.proxy.aol.com (logs-tr.proxy.aol.com [152.163.201.132])\n"
      "    by rly-ip01.mx.aol.com (8.8.8/8.8.8/AOL-5.0.0)\n"
      "    with ESMTP id NAA08955 for <sapient-alumni@yahoogroups.com>;\n"
      "    Thu, 4 Apr 2002 13:11:20 -0500 (EST)\nFrom: a@aol.com\n\nx\n");
  CHECK(checkForFakeAolRelayInRcvd(aolSendmail.ctx(), {}) == 0);
  RelayEvalMessage aolRelayId(
      "Received: from  rly-xj02.mx.aol.com (rly-xj02.mail.aol.com [172.20.116.39]) by\n"
      "    omr-r05.mx.aol.com (v83.35) with ESMTP id RELAYIN7-0501132011; Wed, 01\n"
      "    May 2002 13:20:11 -0400\nFrom: a@aol.com\n\nx\n");
  CHECK(checkForFakeAolRelayInRcvd(aolRelayId.ctx(), {}) == 0);
  RelayEvalMessage plain("Received: from a.example.com by b.example.com; 1 Jan 2020\n\nx\n");
  CHECK(checkForFakeAolRelayInRcvd(plain.ctx(), {}) == 0);
}
