#include <catch2/catch.hpp>

#include "gateway/content/evals/header_evals.h"
#include "header_eval_fixture.h"

using namespace portcullis::content::evals;
using portcullis::content::evals::testing::HeaderEvalFixture;

namespace {

const std::string kReceived =
    "Received: from mx.example.org (mx.example.org [192.0.2.1])\r\n"
    "\tby mail.example.com with ESMTP id abc; Wed, 4 Sep 2002 10:00:00 +0000\r\n"
    "Received: from client (client [198.51.100.2])\r\n"
    "\tby mx.example.org with SMTP id def; Wed, 4 Sep 2002 09:59:00 +0000\r\n";

int shifted(const std::string& date, const std::string& min, const std::string& max) {
  HeaderEvalFixture f(kReceived + "Date: " + date + "\r\nSubject: x\r\n\r\nbody\r\n");
  return checkForShiftedDate(f.ctx, {min, max});
}

}  // namespace

TEST_CASE("check_for_shifted_date", "[evals][header]") {
  // 36 hours before the closest Received date.
  const std::string past = "Mon, 2 Sep 2002 21:59:00 +0000";
  CHECK(shifted(past, "-48", "-24") == 1);
  CHECK(shifted(past, "-24", "-12") == 0);
  CHECK(shifted(past, "undef", "-96") == 0);
  // Four days ahead.
  const std::string future = "Sun, 8 Sep 2002 11:00:00 +0000";
  CHECK(shifted(future, "96", "2920") == 1);
  CHECK(shifted(future, "48", "96") == 0);
  // In step with the relays: none of the ranges.
  CHECK(shifted("Wed, 4 Sep 2002 09:58:00 +0000", "-6", "-3") == 0);
  CHECK(shifted("Wed, 4 Sep 2002 09:58:00 +0000", "3", "6") == 0);
  CHECK(shifted(past, "x", "6") == 0);
  // No Received headers (archived mail): no difference known.
  HeaderEvalFixture bare("Date: Mon, 2 Sep 2002 21:59:00 +0000\r\n\r\nbody\r\n");
  CHECK(checkForShiftedDate(bare.ctx, {"-48", "-24"}) == 0);
}
