#include <catch2/catch.hpp>

#include "freemail_fixture.h"
#include "gateway/content/evals/freemail_evals.h"
#include "header_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;

namespace {
int run(const std::string& headers, Envelope envelope = {}) {
  FreemailConfig config(freemailSettings());
  HeaderEvalFixture f(headers + "Subject: x\r\n\r\nbody\r\n", std::move(envelope));
  return checkFreemailFrom(config, f.ctx, {});
}
}  // namespace

TEST_CASE("check_freemail_from", "[evals][header][freemail]") {
  CHECK(run("From: Bob <bob@mail.ru>\r\n") == 1);
  CHECK(run("From: bob@example.com\r\n") == 0);
  CHECK(run("From: bob@example.com\r\nX-Envelope-From: <x@hotmail.com>\r\n") == 1);
  // Resent-From replaces every other sender header.
  CHECK(run("Resent-From: a@example.com\r\nFrom: bob@gmail.com\r\n") == 0);
}
