// html_charset_faraway: <meta> charsets foreign to ok_locales.
#include "tests/unit/evals/html_eval_fixture.h"

using portcullis::content::evals::testing::EvalMessage;
using portcullis::content::evals::testing::htmlMessage;

namespace {
std::vector<portcullis::rules::Setting> locales(std::string value) {
  return {{"ok_locales", std::move(value), "test.cf", 1}};
}
const std::string kBig5 =
    "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=big5\"><p>x</p>";
}  // namespace

TEST_CASE("html_charset_faraway", "[evals][html]") {
  // ok_locales all (SpamAssassin's default): never.
  EvalMessage all(htmlMessage(kBig5));
  CHECK(all.run("html_charset_faraway") == 0);
  EvalMessage english(htmlMessage(kBig5), locales("en"));
  CHECK(english.run("html_charset_faraway") == 1);
  EvalMessage chinese(htmlMessage(kBig5), locales("en zh"));
  CHECK(chinese.run("html_charset_faraway") == 0);
  EvalMessage latin(htmlMessage("<meta http-equiv=Content-Type content=\"text/html; "
                                "charset=iso-8859-1\"><p>x</p>"),
                    locales("en"));
  CHECK(latin.run("html_charset_faraway") == 0);
}
