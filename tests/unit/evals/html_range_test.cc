// html_range: ratios and sizes HTML.pm computes, in (min, max] or above min for "inf".
#include "tests/unit/evals/html_eval_fixture.h"

using portcullis::content::evals::testing::EvalMessage;
using portcullis::content::evals::testing::htmlMessage;

TEST_CASE("html_range on max_size (HTML_FONT_SIZE_HUGE / _LARGE)", "[evals][html]") {
  EvalMessage huge(htmlMessage("<font size=\"7\">BIG</font>"));
  CHECK(huge.run("html_range", {"max_size", "6", "inf"}) == 1);
  CHECK(huge.run("html_range", {"max_size", "5", "6"}) == 0);
  EvalMessage large(htmlMessage("<font size=\"+3\">big</font>"));  // basefont 3 + 3
  CHECK(large.run("html_range", {"max_size", "5", "6"}) == 1);
  EvalMessage normal(htmlMessage("<p>normal</p>"));
  CHECK(normal.run("html_range", {"max_size", "5", "inf"}) == 0);
}

TEST_CASE("html_range on bad_tag_ratio and non_element_ratio", "[evals][html]") {
  // 4 tags, 2 of them not HTML elements: bad_tag_ratio 0.5.
  EvalMessage bad(htmlMessage("<p>a</p><zz>b</zz>"));
  CHECK(bad.run("html_range", {"bad_tag_ratio", "0.40", "0.50"}) == 1);
  CHECK(bad.run("html_range", {"bad_tag_ratio", "0.50", "0.60"}) == 0);
  // Distinct names: p and zz, one not an element: non_element_ratio 0.5.
  CHECK(bad.run("html_range", {"non_element_ratio", "0.40", "0.50"}) == 1);
  EvalMessage good(htmlMessage("<p>a</p><b>b</b>"));
  CHECK(good.run("html_range", {"bad_tag_ratio", "0.40", "0.50"}) == 0);
}

TEST_CASE("html_range on closed_extra_ratio (HTML_EXTRA_CLOSE)", "[evals][html]") {
  EvalMessage extra(htmlMessage("<p>a</p></b></i>"));  // 2 of 4 tags close nothing
  CHECK(extra.run("html_range", {"closed_extra_ratio", "0.09", "inf"}) == 1);
  EvalMessage balanced(htmlMessage("<p>a</p><b>b</b>"));
  CHECK(balanced.run("html_range", {"closed_extra_ratio", "0.09", "inf"}) == 0);
}

TEST_CASE("html_range on obfuscation_ratio: words split by tags", "[evals][html]") {
  // "V<b>i</b>a<b>g</b>ra": text runs that continue a word across tags.
  EvalMessage split(htmlMessage("V<b>i</b>a<b>g</b>ra"));
  CHECK(split.run("html_range", {"obfuscation_ratio", ".9", "1.0"}) == 1);
  EvalMessage words(htmlMessage("<p>one</p> <p>two</p>"));
  CHECK(words.run("html_range", {"obfuscation_ratio", "0", "inf"}) == 0);
}

TEST_CASE("html_range on length, missing results and bad arguments", "[evals][html]") {
  EvalMessage small(htmlMessage("<p>hi</p>"));
  CHECK(small.run("html_range", {"length", "0", "1024"}) == 1);
  CHECK(small.run("html_range", {"length", "1024", "1536"}) == 0);
  CHECK(small.run("html_range", {"backhair_count", "0", "inf"}) == 0);  // never set
  CHECK(small.run("html_range", {"length"}) == 0);
}
