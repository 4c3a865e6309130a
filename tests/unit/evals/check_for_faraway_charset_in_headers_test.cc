#include <catch2/catch.hpp>

#include "gateway/content/evals/header_evals.h"
#include "header_eval_fixture.h"

using namespace portcullis::content::evals;
using portcullis::content::evals::testing::HeaderEvalFixture;

namespace {
int run(const std::string& subject, const std::string& okLocales) {
  EvalSettings settings;
  if (!okLocales.empty()) settings = EvalSettings({{"ok_locales", okLocales, "t.cf", 1}});
  HeaderEvalFixture f("From: a@example.com\r\nSubject: " + subject + "\r\n\r\nbody\r\n", {},
                      std::chrono::system_clock::now(), settings);
  return checkForFarawayCharsetInHeaders(f.ctx, {});
}
}  // namespace

TEST_CASE("check_for_faraway_charset_in_headers", "[evals][header]") {
  const std::string koi = "=?koi8-r?B?8NLJ18XU?=";
  CHECK(run(koi, "en") == 1);
  CHECK(run(koi, "en ru") == 0);
  CHECK(run(koi, "") == 0);  // default: all
  CHECK(run(koi, "all") == 0);
  CHECK(run("=?iso-8859-1?Q?caf=E9?=", "en") == 0);
  CHECK(run("=?big5?B?pl6k5A==?=", "en ja") == 1);
  CHECK(run("=?big5?B?pl6k5A==?=", "zh_TW") == 0);
}
