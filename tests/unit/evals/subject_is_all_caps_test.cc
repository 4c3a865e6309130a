#include <catch2/catch.hpp>

#include "gateway/content/evals/header_evals.h"
#include "header_eval_fixture.h"

using namespace portcullis::content::evals;
using portcullis::content::evals::testing::HeaderEvalFixture;

namespace {
int run(const std::string& subject) {
  HeaderEvalFixture f("From: a@example.com\r\nSubject: " + subject + "\r\n\r\nbody\r\n");
  return subjectIsAllCaps(f.ctx, {});
}
}  // namespace

TEST_CASE("subject_is_all_caps", "[evals][header]") {
  CHECK(run("FREE MONEY FOR YOU NOW") == 1);
  CHECK(run("Re: FWD: BUY CHEAP STUFF 100%") == 1);
  CHECK(run("Free money for you") == 0);
  CHECK(run("ONEWORDSUBJECTLONG") == 0);  // one word
  CHECK(run("BUY NOW") == 0);             // under ten characters
  CHECK(run("123 456 789 000") == 0);     // no letters
  // Encoded in a charset whose text often reads as capitals: not judged.
  CHECK(run("=?koi8-r?Q?HELLO_THERE_FRIEND?=") == 0);
}
