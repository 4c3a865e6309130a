// html_text_match / html_text_not_match: the comment, title, anchor and script lists.
#include "tests/unit/evals/html_eval_fixture.h"

using portcullis::content::evals::testing::EvalMessage;
using portcullis::content::evals::testing::htmlMessage;

TEST_CASE("html_text_match on comments (HTML_COMMENT_SAVED_URL, __COMMENT_EXISTS)",
          "[evals][html]") {
  EvalMessage saved(htmlMessage("<!-- saved from url=(0022)http://internet.e-mail -->\n<p>x</p>"));
  CHECK(saved.run("html_text_match", {"comment", "<!-- saved from url=\\(\\d{4}\\)"}) == 1);
  CHECK(saved.run("html_text_match", {"comment", "<!.*?>"}) == 1);
  EvalMessage none(htmlMessage("<p>no comment</p>"));
  CHECK(none.run("html_text_match", {"comment", "<!.*?>"}) == 0);
}

TEST_CASE("html_text_match on anchors and titles", "[evals][html]") {
  // An image inside a link: the anchor text holds "<img>" (__HTML_LINK_IMAGE).
  EvalMessage linked(htmlMessage("<a href=\"http://x.example/\"><img src=\"a.gif\"></a>"));
  CHECK(linked.run("html_text_match", {"anchor", "<img>"}) == 1);
  EvalMessage plainLink(htmlMessage("<a href=\"http://x.example/\">click</a><img src=a.gif>"));
  CHECK(plainLink.run("html_text_match", {"anchor", "<img>"}) == 0);
  EvalMessage title(htmlMessage("<title>" + std::string(130, 't') + "</title>"));
  CHECK(title.run("html_text_match", {"title", ".{120}"}) == 1);
  CHECK(title.run("html_text_not_match", {"title", "^t+$"}) == 0);
  CHECK(title.run("html_text_not_match", {"title", "^x"}) == 1);
  // Delimited regexes with flags work too; an invalid one is no hit.
  CHECK(title.run("html_text_match", {"title", "/^T/i"}) == 1);
  CHECK(title.run("html_text_match", {"title", "(unclosed"}) == 0);
}
