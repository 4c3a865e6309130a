#include <catch2/catch.hpp>

#include "freemail_fixture.h"
#include "gateway/content/evals/freemail_evals.h"
#include "header_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;

namespace {
int run(const std::string& body, const std::vector<std::string>& args = {}) {
  FreemailConfig config(freemailSettings());
  HeaderEvalFixture f("From: a@example.com\r\nSubject: x\r\n\r\n" + body + "\r\n");
  return checkFreemailBody(config, f.ctx, args);
}
}  // namespace

TEST_CASE("check_freemail_body", "[evals][header][freemail]") {
  CHECK(run("reply to winner2020@gmail.com now") == 1);
  CHECK(run("reply to winner2020@gmail.com now", {"\\d@"}) == 1);
  CHECK(run("reply to winner@gmail.com now", {"\\d@"}) == 0);
  CHECK(run("reply to someone@example.com now") == 0);
  CHECK(run("reply to someone@gmail.community now") == 0);  // not a known TLD end
  CHECK(run("<x@gmail.com>") == 0);                         // bracketed: removed
  CHECK(run("mailto:x@gmail.com") == 1);
}
