// html_title_subject_ratio: the longest title against the Subject's length.
#include "tests/unit/evals/html_eval_fixture.h"

using portcullis::content::evals::testing::EvalMessage;
using portcullis::content::evals::testing::htmlMessage;

TEST_CASE("html_title_subject_ratio (__HTML_TITLE_SUBJ_DIFF)", "[evals][html]") {
  const std::string html = "<title>" + std::string(60, 'w') + "</title><p>x</p>";
  EvalMessage shortSubject(htmlMessage(html, "Hi"));
  CHECK(shortSubject.run("html_title_subject_ratio", {"3.5"}) == 1);
  EvalMessage longSubject(htmlMessage(html, std::string(40, 's')));
  CHECK(longSubject.run("html_title_subject_ratio", {"3.5"}) == 0);
  EvalMessage noTitle(htmlMessage("<p>x</p>", "Hi"));
  CHECK(noTitle.run("html_title_subject_ratio", {"3.5"}) == 0);
}
