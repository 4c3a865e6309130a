#include <catch2/catch.hpp>

#include "tests/unit/evals/mime_eval_fixture.h"

using portcullis::content::evals::testing::runEval;

TEST_CASE("check_blank_line_ratio", "[evals][mime]") {
  CHECK(runEval("check_blank_line_ratio", "From: a@b.c\n\na\n\n\n\n\n\n\n\n\nb\n",
                {"50", "90", "4"}) == 1);
  CHECK(runEval("check_blank_line_ratio", "From: a@b.c\n\na\nb\nc\nd\n\n", {"50", "90", "4"}) == 0);
  // Too few lines: the ratio is -1.
  CHECK(runEval("check_blank_line_ratio", "From: a@b.c\n\n\n", {"50", "90", "4"}) == 0);
}
