#include <catch2/catch.hpp>

#include "tests/unit/evals/mime_eval_fixture.h"

using portcullis::content::evals::testing::runEval;

namespace {
std::string alternative(const std::string& text, const std::string& html) {
  return "From: a@example.com\nSubject: s\nMIME-Version: 1.0\n"
         "Content-Type: multipart/alternative; boundary=\"b1\"\n\n"
         "--b1\nContent-Type: text/plain; charset=us-ascii\n\n" +
         text + "\n--b1\nContent-Type: text/html; charset=us-ascii\n\n" + html + "\n--b1--\n";
}
}  // namespace

TEST_CASE("multipart_alternative_difference_count", "[evals][mime]") {
  CHECK(runEval("multipart_alternative_difference_count",
                alternative("one two three four five six seven eight nine ten", "<p>a b</p>"),
                {"3", "1"}) == 1);
  CHECK(runEval("multipart_alternative_difference_count", alternative("a b", "<p>a b</p>"),
                {"3", "1"}) == 0);
}
