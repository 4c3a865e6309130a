#include <catch2/catch.hpp>

#include "tests/unit/evals/mime_eval_fixture.h"

using portcullis::content::evals::testing::runEval;

TEST_CASE("check_base64_length", "[evals][mime]") {
  std::string line(78, 'Q');
  std::string b64 =
      "From: a@b.c\nContent-Type: application/octet-stream\n"
      "Content-Transfer-Encoding: base64\n\n" +
      line + "\nQUFB\n";
  // The raw line with its newline is 79 bytes.
  CHECK(runEval("check_base64_length", b64, {"79"}) == 1);
  CHECK(runEval("check_base64_length", b64, {"78", "78"}) == 0);
  std::string normal =
      "From: a@b.c\nContent-Type: application/octet-stream\n"
      "Content-Transfer-Encoding: base64\n\n" +
      std::string(76, 'Q') + "\n";
  CHECK(runEval("check_base64_length", normal, {"79"}) == 0);
}
