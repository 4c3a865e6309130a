#include <catch2/catch.hpp>

#include "gateway/content/evals/header_evals.h"
#include "header_eval_fixture.h"

using namespace portcullis::content::evals;
using portcullis::content::evals::testing::HeaderEvalFixture;

namespace {
int run(const std::string& to, const std::string& subject, const std::string& test) {
  HeaderEvalFixture f("From: a@example.com\r\nTo: " + to + "\r\nSubject: " + subject +
                      "\r\n\r\nbody\r\n");
  return checkForToInSubject(f.ctx, {test});
}
}  // namespace

TEST_CASE("check_for_to_in_subject", "[evals][header]") {
  CHECK(run("bob@example.org", "bob, your order is ready", "user") == 1);
  CHECK(run("Bob <bob@example.org>", "Re: bob", "user") == 1);
  CHECK(run("bob@example.org", "bob", "user") == 1);
  CHECK(run("bob@example.org", "Special offer for bob", "user") == 0);  // anchored at the start
  CHECK(run("bob@example.org", "Bob: news", "user") == 0);  // the local part's case must agree
  CHECK(run("bob@example.org", "About bobby tables", "user") == 0);
  CHECK(run("bob@example.org", "Mail for bob@example.org inside", "address") == 1);
  CHECK(run("bob@example.org", "Mail for alice@example.org", "address") == 0);
  CHECK(run("bob@example.org", "bob, hi", "nonsense") == 0);
}
