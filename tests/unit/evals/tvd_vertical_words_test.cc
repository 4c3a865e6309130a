#include <catch2/catch.hpp>

#include "tests/unit/evals/mime_eval_fixture.h"

using portcullis::content::evals::testing::runEval;

TEST_CASE("tvd_vertical_words", "[evals][mime]") {
  CHECK(runEval("tvd_vertical_words", "From: a@b.c\nSubject: s\n\nv e r t i c a l\n",
                {"0", "10"}) == 0);
  CHECK(runEval("tvd_vertical_words", "From: a@b.c\nSubject: s\n\nordinarywords\n", {"0", "10"}) ==
        1);
}
