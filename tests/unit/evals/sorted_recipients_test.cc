#include <catch2/catch.hpp>

#include "gateway/content/evals/header_evals.h"
#include "header_eval_fixture.h"

using namespace portcullis::content::evals;
using portcullis::content::evals::testing::HeaderEvalFixture;

namespace {
int run(const std::string& to) {
  HeaderEvalFixture f("From: a@example.com\r\nTo: " + to + "\r\n\r\nbody\r\n");
  return sortedRecipients(f.ctx, {});
}
}  // namespace

TEST_CASE("sorted_recipients", "[evals][header]") {
  CHECK(run("aa@x.com, ab@x.com, ac@y.com, ad@z.com, ae@x.com, af@x.com, ag@x.com") == 1);
  CHECK(run("ab@x.com, aa@x.com, ac@y.com, ad@z.com, ae@x.com, af@x.com, ag@x.com") == 0);
  CHECK(run("aa@x.com, ab@x.com, ac@y.com, ad@z.com, ae@x.com, af@x.com") == 0);  // six
}
