#include <catch2/catch.hpp>

#include "gateway/content/evals/header_evals.h"
#include "header_eval_fixture.h"

using namespace portcullis::content::evals;
using portcullis::content::evals::testing::HeaderEvalFixture;

TEST_CASE("check_ratware_name_id", "[evals][header]") {
  const std::string id = "Message-ID: <ABCDEFGHIJKLMNOPQRSTUVWXYZAB.sales@example.com>\r\n";
  HeaderEvalFixture hit(id + "From: \"Sales\" <sales@example.com>\r\n\r\nbody\r\n");
  CHECK(checkRatwareNameId(hit.ctx, {}) == 1);
  HeaderEvalFixture otherFrom(id + "From: \"Sales\" <bob@example.com>\r\n\r\nbody\r\n");
  CHECK(checkRatwareNameId(otherFrom.ctx, {}) == 0);
  HeaderEvalFixture unquoted(id + "From: sales@example.com\r\n\r\nbody\r\n");
  CHECK(checkRatwareNameId(unquoted.ctx, {}) == 0);
  HeaderEvalFixture shortId(
      "Message-ID: <ABCDEF.sales@example.com>\r\n"
      "From: \"Sales\" <sales@example.com>\r\n\r\nbody\r\n");
  CHECK(checkRatwareNameId(shortId.ctx, {}) == 0);
}
