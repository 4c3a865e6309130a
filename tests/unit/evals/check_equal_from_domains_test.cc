#include <catch2/catch.hpp>

#include "gateway/content/evals/header_evals.h"
#include "header_eval_fixture.h"

using namespace portcullis::content::evals;
using portcullis::content::evals::testing::HeaderEvalFixture;

namespace {
int run(const std::string& from, const std::string& envfrom) {
  Envelope envelope;
  HeaderEvalFixture f("From: " + from + "\r\nX-Envelope-From: <" + envfrom +
                      ">\r\nSubject: x\r\n\r\nbody\r\n");
  return checkEqualFromDomains(f.ctx, {});
}
}  // namespace

TEST_CASE("check_equal_from_domains", "[evals][header]") {
  // The envelope sender comes from X-Envelope-From here (no front door, no Received).
  CHECK(run("Bob <bob@news.example.com>", "bounce@mailer.example.net") == 1);
  CHECK(run("Bob <bob@news.example.com>", "bounce@mx.EXAMPLE.com") == 0);  // same last two labels
  CHECK(run("bob@example.com", "x@example.com") == 0);
  CHECK(run("bob@", "x@example.com") == 0);  // no From domain
  HeaderEvalFixture noEnvelope("From: bob@example.com\r\n\r\nbody\r\n");
  CHECK(checkEqualFromDomains(noEnvelope.ctx, {}) == 0);
}
