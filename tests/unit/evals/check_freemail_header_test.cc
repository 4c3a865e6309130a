#include <catch2/catch.hpp>

#include "freemail_fixture.h"
#include "gateway/content/evals/freemail_evals.h"
#include "header_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;

namespace {
int run(const std::string& headers, const std::vector<std::string>& args) {
  FreemailConfig config(freemailSettings());
  HeaderEvalFixture f(headers + "Subject: x\r\n\r\nbody\r\n");
  return checkFreemailHeader(config, f.ctx, args);
}
}  // namespace

TEST_CASE("check_freemail_header", "[evals][header][freemail]") {
  CHECK(run("Reply-To: Bob <Bob@GMail.com>\r\n", {"Reply-To"}) == 1);
  CHECK(run("Reply-To: bob@yahoo.fr\r\n", {"Reply-To"}) == 1);  // wildcard entry
  CHECK(run("Reply-To: bob@example.com\r\n", {"Reply-To"}) == 0);
  CHECK(run("Reply-To: friend@gmail.com\r\n", {"Reply-To"}) == 0);   // freemail_welcomelist
  CHECK(run("Reply-To: support@gmail.com\r\n", {"Reply-To"}) == 0);  // role address
  CHECK(run("Reply-To: bob77@gmail.com\r\n", {"Reply-To", "\\d@"}) == 1);
  CHECK(run("Reply-To: bob@gmail.com\r\n", {"Reply-To", "\\d@"}) == 0);
  CHECK(run("From: bob@gmail.com\r\n", {"Reply-To"}) == 0);           // header absent
  CHECK(run("Reply-To: bob@gmail.com\r\n", {"Reply-To", "("}) == 0);  // bad regex
  FreemailConfig none(EvalSettings{});
  HeaderEvalFixture f("Reply-To: bob@gmail.com\r\n\r\nbody\r\n");
  CHECK_FALSE(none.available());
  CHECK(checkFreemailHeader(none, f.ctx, {"Reply-To"}) == 0);
}
