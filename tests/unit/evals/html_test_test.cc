// html_test: HTML_MESSAGE (html_test('html')) and the flag results of HTML.pm.
#include "tests/unit/evals/html_eval_fixture.h"

using portcullis::content::evals::testing::EvalMessage;
using portcullis::content::evals::testing::htmlMessage;

TEST_CASE("html_test('html') hits on a message with a non-empty HTML part", "[evals][html]") {
  // SpamAssassin 4.0.0 agreed: HTML_MESSAGE on the first, not on the plain-text one.
  EvalMessage html(htmlMessage("<html><body><p>Hi</p></body></html>"));
  CHECK(html.run("html_test", {"html"}) == 1);
  EvalMessage plain(
      "From: a@example.com\r\nSubject: x\r\nContent-Type: text/plain\r\n\r\n<html>hi</html>\r\n");
  CHECK(plain.run("html_test", {"html"}) == 0);
}

TEST_CASE("html_test reads HTML.pm's flags", "[evals][html]") {
  EvalMessage form(htmlMessage("<form action=\"MAILTO:x@example.com\"><input></form>"));
  CHECK(form.run("html_test", {"form_action_mailto"}) == 1);
  CHECK(form.run("html_test", {"embeds"}) == 0);

  EvalMessage embed(htmlMessage("<p>see</p><embed src=\"x.swf\">"));
  CHECK(embed.run("html_test", {"embeds"}) == 1);

  // White on white, and a near-white grey on white: low contrast. Black on white: not.
  EvalMessage hidden(htmlMessage("<p>text <font color=\"#ffffff\">hidden words</font></p>"));
  CHECK(hidden.run("html_test", {"font_low_contrast"}) == 1);
  EvalMessage grey(htmlMessage("<div style=\"color: #fafafa\">faint</div>"));
  CHECK(grey.run("html_test", {"font_low_contrast"}) == 1);
  EvalMessage visible(htmlMessage("<p><font color=\"black\">plain</font></p>"));
  CHECK(visible.run("html_test", {"font_low_contrast"}) == 0);

  EvalMessage invalid(htmlMessage("<p><font color=\"zzzzzz\">odd</font></p>"));
  CHECK(invalid.run("html_test", {"font_invalid_color"}) == 1);

  EvalMessage face(htmlMessage("<font face=\"Arial, Helvetica\">ok</font>"));
  CHECK(face.run("html_test", {"font_face_bad"}) == 0);
  EvalMessage badFace(htmlMessage("<font face=\"{x}\">bad</font>"));
  CHECK(badFace.run("html_test", {"font_face_bad"}) == 1);

  CHECK(face.run("html_test", {"no_such_result"}) == 0);
  CHECK(face.run("html_test", {}) == 0);
}
