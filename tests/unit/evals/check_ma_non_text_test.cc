#include <catch2/catch.hpp>

#include "tests/unit/evals/mime_eval_fixture.h"

using portcullis::content::evals::testing::runEval;

TEST_CASE("check_ma_non_text", "[evals][mime]") {
  std::string withImage =
      "From: a@b.c\nContent-Type: multipart/alternative; boundary=q\n\n--q\n"
      "Content-Type: text/plain\n\nhi\n--q\nContent-Type: image/gif\n\nR0lG\n--q--\n";
  CHECK(runEval("check_ma_non_text", withImage, {}) == 1);
  std::string textOnly =
      "From: a@b.c\nContent-Type: multipart/alternative; boundary=q\n\n--q\n"
      "Content-Type: text/plain\n\nhi\n--q\nContent-Type: text/html\n\n<p>hi</p>\n--q--\n";
  CHECK(runEval("check_ma_non_text", textOnly, {}) == 0);
}
