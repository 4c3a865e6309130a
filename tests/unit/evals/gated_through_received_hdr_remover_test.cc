#include <catch2/catch.hpp>

#include "tests/unit/evals/relay_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;

TEST_CASE("gated_through_received_hdr_remover: no Received header at all", "[evals][relay]") {
  RelayEvalMessage msg("From: a@example.com\nSubject: x\n\nbody\n");
  CHECK(gatedThroughReceivedHdrRemover(msg.ctx(), {}) == 1);
}

TEST_CASE("gated_through_received_hdr_remover: an ezmlm list through qmail", "[evals][relay]") {
  RelayEvalMessage msg(
      "Mailing-List: contact list-help@lists.example.org; run by ezmlm\n"
      "Delivered-To: mailing list list@lists.example.org\n"
      "Received: (qmail 12345 invoked by uid 1000); 4 Apr 2002 13:11:20 -0000\n"
      "From: a@example.com\n\nbody\n");
  CHECK(gatedThroughReceivedHdrRemover(msg.ctx(), {}) == 1);
}

// HeaderEval.pm's MSN Groups example.
TEST_CASE("gated_through_received_hdr_remover: MSN Groups", "[evals][relay]") {
  RelayEvalMessage msg(
      "Received: from groups.msn.com (tk2dcpuba02.msn.com [65.54.195.210]) by\n"
      "    dogma.slashnull.org (8.11.6/8.11.6) with ESMTP id g72K35v10457\n"
      "From: a@hotmail.com\n\nbody\n");
  CHECK(gatedThroughReceivedHdrRemover(msg.ctx(), {}) == 1);
}

TEST_CASE("gated_through_received_hdr_remover: ordinary Received headers", "[evals][relay]") {
  RelayEvalMessage msg(
      "Received: from mail.example.com (mail.example.com [192.0.2.1]) by mx.example.org\n"
      "    with ESMTP id 1234; Thu, 4 Apr 2002 13:11:20 -0500\n"
      "Mailing-List: contact list-help@lists.example.org; run by ezmlm\n"
      "From: a@example.com\n\nbody\n");
  CHECK(gatedThroughReceivedHdrRemover(msg.ctx(), {}) == 0);
}
