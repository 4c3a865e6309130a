#include <catch2/catch.hpp>

#include "gateway/content/evals/header_evals.h"
#include "header_eval_fixture.h"

using namespace portcullis::content::evals;
using portcullis::content::evals::testing::HeaderEvalFixture;

TEST_CASE("check_for_missing_to_header", "[evals][header]") {
  HeaderEvalFixture none("From: a@example.com\r\nSubject: x\r\n\r\nbody\r\n");
  CHECK(checkForMissingToHeader(none.ctx, {}) == 1);
  HeaderEvalFixture to("From: a@example.com\r\nTo: b@example.org\r\n\r\nbody\r\n");
  CHECK(checkForMissingToHeader(to.ctx, {}) == 0);
  HeaderEvalFixture apparently("From: a@example.com\r\nApparently-To: b@example.org\r\n\r\nx\r\n");
  CHECK(checkForMissingToHeader(apparently.ctx, {}) == 0);
}
