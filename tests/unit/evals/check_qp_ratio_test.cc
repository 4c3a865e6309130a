#include <catch2/catch.hpp>

#include "tests/unit/evals/mime_eval_fixture.h"

using portcullis::content::evals::testing::runEval;

TEST_CASE("check_qp_ratio", "[evals][mime]") {
  std::string needless =
      "From: a@b.c\nContent-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\n"
      "=41=42=43=44=45=46\n";
  CHECK(runEval("check_qp_ratio", needless, {"0.1"}) == 1);
  std::string sensible =
      "From: a@b.c\nContent-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\n"
      "plain words with one =E9 accent\n";
  CHECK(runEval("check_qp_ratio", sensible, {"0.1"}) == 0);
}
