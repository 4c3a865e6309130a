#include <catch2/catch.hpp>

#include "gateway/content/evals/header_evals.h"
#include "header_eval_fixture.h"

using namespace portcullis::content::evals;
using portcullis::content::evals::testing::HeaderEvalFixture;

namespace {
int run(const std::string& subject, const std::vector<std::string>& args) {
  HeaderEvalFixture f("From: a@example.com\r\nSubject: " + subject + "\r\n\r\nbody\r\n");
  return checkIllegalChars(f.ctx, args);
}
}  // namespace

TEST_CASE("check_illegal_chars", "[evals][header]") {
  const std::vector<std::string> subj = {"Subject", "0.00", "2"};
  CHECK(run("Latin-1 \xe9t\xe9 sale", subj) == 1);
  CHECK(run("one pound \xa3 only", subj) == 0);               // a single exempt sign, one byte left
  CHECK(run("UTF-8 \xc3\xa9t\xc3\xa9 sale", subj) == 0);      // valid UTF-8 is allowed
  CHECK(run("UTF-8 \xc3\xa9t\xc3\xa9 \x01\x02", subj) == 1);  // ...unless it has controls
  CHECK(run("plain ascii", subj) == 0);
  CHECK(run("two \xe9\xe9 in a long subject line here", {"Subject", "0.20", "2"}) == 0);
  CHECK(run("x", {"Subject", "bad", "2"}) == 0);
}
