#include <catch2/catch.hpp>

#include "tests/unit/evals/relay_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;

namespace {
// A bounce quoting the message we sent through our relay.
const std::string kBounce =
    "From: MAILER-DAEMON@mx.remote.example\nSubject: Undelivered Mail Returned to Sender\n"
    "Content-Type: text/plain\n\n"
    "This is the mail system at host mx.remote.example.\n\n"
    "Received: from relay2.ourcompany.example (relay2.ourcompany.example [192.0.2.4])\n"
    "\tby mx.remote.example (Postfix) with ESMTP id 4AB; Mon, 2 Sep 2002\n";
}  // namespace

TEST_CASE("check_welcomelist_bounce_relays: a quoted Received names our relay", "[evals][relay]") {
  RelayEvalMessage msg(kBounce);
  CHECK(checkWelcomelistBounceRelays(
            msg.ctx(), BounceRelays(settings(
                           {{"welcomelist_bounce_relays", "relay*.OurCompany.example"}}))) == 1);
  CHECK(checkWelcomelistBounceRelays(
            msg.ctx(), BounceRelays(settings(
                           {{"whitelist_bounce_relays", "relay2.ourcompany.example"}}))) == 1);
}

TEST_CASE("check_welcomelist_bounce_relays: other relays, none set, no quoted Received",
          "[evals][relay]") {
  RelayEvalMessage msg(kBounce);
  CHECK(checkWelcomelistBounceRelays(
            msg.ctx(), BounceRelays(settings(
                           {{"welcomelist_bounce_relays", "smtp.ourcompany.example"}}))) == 0);
  CHECK(checkWelcomelistBounceRelays(msg.ctx(), BounceRelays(settings({}))) == 0);
  RelayEvalMessage plain("From: a@b.example\n\nrelay2.ourcompany.example says hi\n");
  CHECK(checkWelcomelistBounceRelays(
            plain.ctx(), BounceRelays(settings(
                             {{"welcomelist_bounce_relays", "relay2.ourcompany.example"}}))) == 0);
}
