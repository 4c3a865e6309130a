#include <catch2/catch.hpp>

#include "tests/unit/evals/relay_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;

namespace {
const std::string kForeignHop =
    "Received: from dsl-203-0-113-5.example.net (dsl-203-0-113-5.example.net [203.0.113.5])\n"
    "    by mx.example.org with SMTP id 99; 1 Jan 2020 00:00:00 +0000\n";
}

TEST_CASE("check_for_forged_yahoo_received_headers: @yahoo.com through a foreign host",
          "[evals][relay]") {
  RelayEvalMessage msg(kForeignHop + "From: someone@yahoo.com\n\nbody\n");
  CHECK(checkForForgedYahooReceivedHeaders(msg.ctx(), {}) == 1);
}

TEST_CASE("check_for_forged_yahoo_received_headers: Yahoo's own hops", "[evals][relay]") {
  RelayEvalMessage web(kForeignHop +
                       "Received: from [24.1.2.3] by web12345.mail.yahoo.com via HTTP;\n"
                       "    Mon, 2 Sep 2002 10:00:00 PDT\n"
                       "From: someone@yahoo.com\n\nbody\n");
  CHECK(checkForForgedYahooReceivedHeaders(web.ctx(), {}) == 0);

  // Bug 4528's relay: Yahoo's rDNS on the first untrusted hop.
  portcullis::content::relays::RelayPath path;
  path.untrusted.push_back(relay("68.142.202.54", "mta122.mail.mud.yahoo.com",
                                 "mta122.mail.mud.yahoo.com", "eclectic.kluge.net"));
  RelayEvalMessage bounce(kForeignHop + "From: someone@yahoo.com\n\nbody\n", path);
  CHECK(checkForForgedYahooReceivedHeaders(bounce.ctx(), {}) == 0);

  RelayEvalMessage other(kForeignHop + "From: someone@example.com\n\nbody\n");
  CHECK(checkForForgedYahooReceivedHeaders(other.ctx(), {}) == 0);
}
