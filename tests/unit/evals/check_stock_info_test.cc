#include <catch2/catch.hpp>

#include "tests/unit/evals/mime_eval_fixture.h"

using portcullis::content::evals::testing::runEval;

TEST_CASE("check_stock_info", "[evals][mime]") {
  std::string tip = "From: a@b.c\nSubject: s\n\nSymbol: ABCD\nCurrent Price: 0.10\nTarget: 2.00\n";
  CHECK(runEval("check_stock_info", tip, {"2"}) == 1);
  CHECK(runEval("check_stock_info", "From: a@b.c\nSubject: s\n\nName: Bob\nSymbol: none\n",
                {"2"}) == 0);
}
