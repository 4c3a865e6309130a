#include <catch2/catch.hpp>

#include "gateway/content/evals/header_evals.h"
#include "header_eval_fixture.h"

using namespace portcullis::content::evals;
using portcullis::content::evals::testing::HeaderEvalFixture;

TEST_CASE("check_unresolved_template", "[evals][header]") {
  HeaderEvalFixture hit("From: a@example.com\r\nX-Mailer: %RND_MAILER\r\n\r\nbody\r\n");
  CHECK(checkUnresolvedTemplate(hit.ctx, {}) == 1);
  // In the headers where such text is ordinary, it is let through.
  HeaderEvalFixture subject("From: a@example.com\r\nSubject: 50%OFF_NOW\r\n\r\nbody\r\n");
  CHECK(checkUnresolvedTemplate(subject.ctx, {}) == 0);
  HeaderEvalFixture lower("From: a@example.com\r\nX-Mailer: 100%free\r\n\r\nbody\r\n");
  CHECK(checkUnresolvedTemplate(lower.ctx, {}) == 0);
}
