#include <catch2/catch.hpp>

#include "tests/unit/evals/mime_eval_fixture.h"

using portcullis::content::evals::testing::runEval;

TEST_CASE("check_abundant_unicode_ratio", "[evals][mime]") {
  std::string entities = "From: a@b.c\nContent-Type: text/plain\n\n&#x0041;&#x0042; hello\n";
  CHECK(runEval("check_abundant_unicode_ratio", entities, {"0.02"}) == 1);
  CHECK(runEval("check_abundant_unicode_ratio", entities, {"0.5"}) == 0);
  CHECK(runEval("check_abundant_unicode_ratio", entities, {"2"}) == 0);  // not a ratio
  CHECK(runEval("check_abundant_unicode_ratio", "From: a@b.c\n\nplain text here\n", {"0.02"}) == 0);
}
