#include <catch2/catch.hpp>

#include "address_list_fixture.h"
#include "gateway/content/evals/list_evals.h"
#include "header_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;

namespace {
struct Run {
  AddressLists lists{addressListSettings()};
  HeaderEvalFixture f;
  explicit Run(const std::string& headers) : f(headers + "Subject: x\r\n\r\nbody\r\n") {}
};
}  // namespace

TEST_CASE("check_to_in_list and the recipient lists", "[evals][header][list]") {
  Run trap("From: a@example.com\r\nTo: x@traps.example.com\r\n");
  CHECK(checkToInMoreSpam(trap.lists, trap.f.ctx, {}) == 1);
  CHECK(checkToInList(trap.lists, trap.f.ctx, {"more_spam_to"}) == 1);
  CHECK(checkToInAllSpam(trap.lists, trap.f.ctx, {}) == 0);
  Run lover("From: a@example.com\r\nCc: SpamLover@example.com\r\n");
  CHECK(checkToInAllSpam(lover.lists, lover.f.ctx, {}) == 1);
  // Recipients named by the topmost Received headers' "for" clause count too.
  Run received(
      "Received: from a by b for <postmaster@example.com>; Tue, 3 Sep 2002 10:11:12 "
      "+0000\r\nFrom: a@example.com\r\n");
  CHECK(checkToInWelcomelist(received.lists, received.f.ctx, {}) == 1);
  Run closed("To: closed@example.com\r\n");
  CHECK(checkToInBlocklist(closed.lists, closed.f.ctx, {}) == 1);
  CHECK(checkToInWelcomelist(closed.lists, closed.f.ctx, {}) == 0);
  // Resent-To replaces all others.
  Run resent("Resent-To: someone@example.org\r\nTo: closed@example.com\r\n");
  CHECK(checkToInBlocklist(resent.lists, resent.f.ctx, {}) == 0);
}
