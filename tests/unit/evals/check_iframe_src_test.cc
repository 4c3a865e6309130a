// check_iframe_src: a URI named by <iframe src>.
#include "tests/unit/evals/html_eval_fixture.h"

using portcullis::content::evals::testing::EvalMessage;
using portcullis::content::evals::testing::htmlMessage;

TEST_CASE("check_iframe_src (HTML_IFRAME_SRC)", "[evals][html]") {
  EvalMessage frame(htmlMessage("<p>x</p><iframe src=\"http://x.example/p\"></iframe>"));
  CHECK(frame.run("check_iframe_src") == 1);
  EvalMessage empty(htmlMessage("<p>x</p><iframe src=\"\"></iframe>"));
  CHECK(empty.run("check_iframe_src") == 0);
  EvalMessage image(htmlMessage("<img src=\"http://x.example/p.gif\">"));
  CHECK(image.run("check_iframe_src") == 0);
}
