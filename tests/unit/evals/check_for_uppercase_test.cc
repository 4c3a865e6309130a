#include <catch2/catch.hpp>

#include "tests/unit/evals/mime_eval_fixture.h"

using portcullis::content::evals::testing::runEval;

TEST_CASE("check_for_uppercase", "[evals][mime]") {
  std::string shout = "From: a@b.c\nSubject: s\n\n";
  for (int i = 0; i < 10; ++i) shout += "THIS IS A VERY LOUD LINE OF TEXT\n";
  CHECK(runEval("check_for_uppercase", shout, {"75", "100"}) == 1);
  CHECK(runEval("check_for_uppercase", shout, {"25", "50"}) == 0);
  std::string calm = "From: a@b.c\nSubject: s\n\n";
  for (int i = 0; i < 10; ++i) calm += "this is a very calm line of text\n";
  CHECK(runEval("check_for_uppercase", calm, {"75", "100"}) == 0);
  // Under 200 characters of running text: no share at all.
  CHECK(runEval("check_for_uppercase", "From: a@b.c\nSubject: s\n\nSHORT SHOUT\n", {"75", "100"}) ==
        0);
}
