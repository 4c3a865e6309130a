// html_tag_exists: a start or end tag of that name anywhere in an HTML part.
#include "tests/unit/evals/html_eval_fixture.h"

using portcullis::content::evals::testing::EvalMessage;
using portcullis::content::evals::testing::htmlMessage;

TEST_CASE("html_tag_exists", "[evals][html]") {
  EvalMessage m(htmlMessage("<HTML><Head><title>t</title></head><BODY>x<BGSOUND src=a.wav>"));
  CHECK(m.run("html_tag_exists", {"html"}) == 1);
  CHECK(m.run("html_tag_exists", {"head"}) == 1);
  CHECK(m.run("html_tag_exists", {"bgsound"}) == 1);
  CHECK(m.run("html_tag_exists", {"center"}) == 0);
  CHECK(m.run("html_tag_exists", {"script"}) == 0);
  // A lone end tag counts: HTML.pm records every tag name it sees.
  EvalMessage endOnly(htmlMessage("text</center>"));
  CHECK(endOnly.run("html_tag_exists", {"center"}) == 1);
}

TEST_CASE("html_tag_exists: no tags inside literal elements", "[evals][html]") {
  // HTML::Parser reads an <iframe>'s content as text: SpamAssassin 4.0.0 saw no <script> in
  // hard_ham/00027 of the public corpus, whose only <script> sits inside an <iframe>.
  EvalMessage framed(
      htmlMessage("<iframe src=\"http://x.example/\"><script src=a.js></script>"
                  "</iframe><p>x</p>"));
  CHECK(framed.run("html_tag_exists", {"script"}) == 0);
  CHECK(framed.run("html_tag_exists", {"p"}) == 1);
}
