#include <catch2/catch.hpp>

#include "gateway/content/evals/header_evals.h"
#include "header_eval_fixture.h"

using namespace portcullis::content::evals;
using portcullis::content::evals::testing::HeaderEvalFixture;

TEST_CASE("check_header_count_range", "[evals][header]") {
  const std::vector<std::string> args = {"Subject", "2", "999"};
  HeaderEvalFixture two("Subject: one\r\nSubject: two\r\n\r\nbody\r\n");
  CHECK(checkHeaderCountRange(two.ctx, args) == 1);
  HeaderEvalFixture same("Subject: one\r\nSubject: one\r\n\r\nbody\r\n");
  CHECK(checkHeaderCountRange(same.ctx, args) == 0);  // duplicates count once
  HeaderEvalFixture one("Subject: one\r\n\r\nbody\r\n");
  CHECK(checkHeaderCountRange(one.ctx, args) == 0);
  CHECK(checkHeaderCountRange(one.ctx, {"Subject", "1", "1"}) == 1);
  CHECK(checkHeaderCountRange(one.ctx, {"Subject", "x", "1"}) == 0);
}
