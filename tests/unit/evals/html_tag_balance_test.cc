// html_tag_balance: start tags minus end tags (never below zero) compared to an expression.
#include "tests/unit/evals/html_eval_fixture.h"

using portcullis::content::evals::testing::EvalMessage;
using portcullis::content::evals::testing::htmlMessage;

TEST_CASE("html_tag_balance (HTML_TAG_BALANCE_BODY / _HEAD)", "[evals][html]") {
  EvalMessage open(htmlMessage("<html><head><title>x</title><body>text</html>"));
  CHECK(open.run("html_tag_balance", {"body", "!= 0"}) == 1);
  CHECK(open.run("html_tag_balance", {"head", "!= 0"}) == 1);
  EvalMessage closed(htmlMessage("<html><head></head><body>text</body></html>"));
  CHECK(closed.run("html_tag_balance", {"body", "!= 0"}) == 0);
  CHECK(closed.run("html_tag_balance", {"head", "!= 0"}) == 0);
  // Extra end tags do not make the balance negative.
  EvalMessage extra(htmlMessage("<body>text</body></body>"));
  CHECK(extra.run("html_tag_balance", {"body", "!= 0"}) == 0);
  // No such tag: no hit; a bad tag name: no hit.
  CHECK(closed.run("html_tag_balance", {"center", "!= 0"}) == 0);
  CHECK(open.run("html_tag_balance", {"bo dy", "!= 0"}) == 0);
}
