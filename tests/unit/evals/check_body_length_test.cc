#include <catch2/catch.hpp>

#include "tests/unit/evals/mime_eval_fixture.h"

using portcullis::content::evals::testing::runEval;

TEST_CASE("check_body_length", "[evals][mime]") {
  CHECK(runEval("check_body_length", "From: a@b.c\n\nshort\n", {"128"}) == 1);
  CHECK(runEval("check_body_length", "From: a@b.c\n\n" + std::string(200, 'x') + "\n", {"128"}) ==
        0);
}
