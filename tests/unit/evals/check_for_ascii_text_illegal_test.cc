#include <catch2/catch.hpp>

#include "tests/unit/evals/mime_eval_fixture.h"

using portcullis::content::evals::testing::runEval;

TEST_CASE("check_for_ascii_text_illegal", "[evals][mime]") {
  CHECK(runEval("check_for_ascii_text_illegal",
                "From: a@b.c\nContent-Type: text/plain; charset=us-ascii\n\ncaf\xc3\xa9\n",
                {}) == 1);
  CHECK(runEval("check_for_ascii_text_illegal",
                "From: a@b.c\nContent-Type: text/plain; charset=utf-8\n\ncaf\xc3\xa9\n", {}) == 0);
  CHECK(runEval("check_for_ascii_text_illegal",
                "From: a@b.c\nContent-Type: text/plain; charset=us-ascii\n\ncafe\n", {}) == 0);
}
