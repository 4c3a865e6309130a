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

TEST_CASE("check_for_mime_html", "[evals][mime]") {
  CHECK(runEval("check_for_mime_html", alternative("hello", "<p>hello</p>"), {}) == 1);
  CHECK(runEval("check_for_mime_html", "From: a@b.c\nContent-Type: TEXT/HTML\n\n<p>x</p>\n", {}) ==
        1);
  CHECK(runEval("check_for_mime_html", "From: a@b.c\nContent-Type: text/plain\n\nx\n", {}) == 0);
}
