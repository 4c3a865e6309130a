#include <catch2/catch.hpp>

#include "tests/unit/evals/mime_eval_fixture.h"

using portcullis::content::evals::testing::runEval;

TEST_CASE("check_for_faraway_charset", "[evals][mime]") {
  std::string koi =
      "From: a@b.c\nSubject: s\nContent-Type: text/plain; charset=koi8-r\n"
      "Content-Transfer-Encoding: 8bit\n\n\xf0\xd2\xc9\xd7\xc5\xd4 \xcd\xc9\xd2\n";
  // SpamAssassin's default ok_locales is "all": nothing is far away.
  CHECK(runEval("check_for_faraway_charset", koi, {}) == 0);
  std::vector<portcullis::rules::Setting> en{{"ok_locales", "en", "local.cf", 1}};
  CHECK(runEval("check_for_faraway_charset", koi, {}, en) == 1);
  std::vector<portcullis::rules::Setting> ru{{"ok_locales", "en ru", "local.cf", 1}};
  CHECK(runEval("check_for_faraway_charset", koi, {}, ru) == 0);
  std::string ascii =
      "From: a@b.c\nSubject: s\nContent-Type: text/plain; charset=koi8-r\n\nhello there\n";
  CHECK(runEval("check_for_faraway_charset", ascii, {}, en) == 0);
}
