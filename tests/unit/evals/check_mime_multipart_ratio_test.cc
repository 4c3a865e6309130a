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

TEST_CASE("check_mime_multipart_ratio: MIME_HTML_MOSTLY", "[evals][mime]") {
  std::string html = "<html><body>" + std::string(2000, 'x') + "</body></html>";
  // An empty text alternative: ratio 0 against a large HTML one.
  CHECK(runEval("check_mime_multipart_ratio", alternative("", html), {"0.00", "0.01"}) == 1);
  CHECK(runEval("check_mime_multipart_ratio", alternative(std::string(500, 'y'), html),
                {"0.00", "0.01"}) == 0);
  // Not multipart/alternative: the ratio stays 1.
  CHECK(runEval("check_mime_multipart_ratio", "From: a@b.c\n\nx\n", {"0.00", "0.01"}) == 0);
  CHECK(runEval("check_mime_multipart_ratio", "From: a@b.c\n\nx\n", {"0.5", "1.5"}) == 1);
}
