#include <catch2/catch.hpp>

#include "gateway/content/evals/header_evals.h"
#include "header_eval_fixture.h"

using namespace portcullis::content::evals;
using portcullis::content::evals::testing::HeaderEvalFixture;

namespace {
int run(const std::string& to) {
  HeaderEvalFixture f("From: a@example.com\r\nTo: " + to + "\r\n\r\nbody\r\n");
  return similarRecipients(f.ctx, {"0.65", "undef"});
}
}  // namespace

TEST_CASE("similar_recipients", "[evals][header]") {
  // Same first two letters everywhere, hosts alike but different: 10 + 10 hits over 10 pairs.
  CHECK(run("joe@mx1.com, jon@mx2.com, jo@mx3.com, joy@mx4.com, josh@mx5.com") == 1);
  CHECK(run("alice@a.com, bob@b.org, carol@c.net, dave@d.edu, erin@e.io") == 0);
  CHECK(run("joe@mx1.com, jon@mx2.com, jo@mx3.com, joy@mx4.com") == 0);  // four
  HeaderEvalFixture f(
      "To: joe@mx1.com, jon@mx2.com, jo@mx3.com, joy@mx4.com, josh@mx5.com\r\n\r\nx\r\n");
  CHECK(similarRecipients(f.ctx, {"0.65", "bad"}) == 0);
}
