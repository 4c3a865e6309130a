// html_eval: a result compared as HTMLEval's Perl eval compares it ("< 384").
#include "tests/unit/evals/html_eval_fixture.h"

#include "gateway/content/evals/html_evals.h"

using portcullis::content::evals::htmlCompare;
using portcullis::content::evals::testing::EvalMessage;
using portcullis::content::evals::testing::htmlMessage;

TEST_CASE("html_eval on length (__HTML_LENGTH_384)", "[evals][html]") {
  EvalMessage small(htmlMessage("<p>short</p>"));
  CHECK(small.run("html_eval", {"length", "< 384"}) == 1);
  EvalMessage long_(htmlMessage("<p>" + std::string(500, 'x') + "</p>"));
  CHECK(long_.run("html_eval", {"length", "< 384"}) == 0);
  CHECK(long_.run("html_eval", {"length", ">= 500"}) == 1);
}

TEST_CASE("html_eval refuses what is not an operator and a number", "[evals][html]") {
  EvalMessage small(htmlMessage("<p>short</p>"));
  CHECK(small.run("html_eval", {"length", "system('x')"}) == 0);
  CHECK(small.run("html_eval", {"length", "<"}) == 0);
  CHECK(small.run("html_eval", {"no_such", "> 0"}) == 0);
  bool valid = true;
  CHECK_FALSE(htmlCompare(1, "1 <", &valid));
  CHECK_FALSE(valid);
  CHECK(htmlCompare(0, "!= -1", &valid));
  CHECK(valid);
  CHECK(htmlCompare(2, "== 2"));
  CHECK_FALSE(htmlCompare(2, "> 2"));
}
