#include <catch2/catch.hpp>

#include "address_list_fixture.h"
#include "gateway/content/evals/list_evals.h"
#include "header_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;

TEST_CASE("check_replyto_in_list", "[evals][header][list]") {
  AddressLists lists(addressListSettings());
  HeaderEvalFixture hit("From: a@example.com\r\nReply-To: x@paypal.com\r\n\r\nbody\r\n");
  CHECK(checkReplytoInList(lists, hit.ctx, {"PAYPAL"}) == 1);
  HeaderEvalFixture miss("From: x@paypal.com\r\nReply-To: x@example.com\r\n\r\nbody\r\n");
  CHECK(checkReplytoInList(lists, miss.ctx, {"PAYPAL"}) == 0);
  HeaderEvalFixture none("From: x@paypal.com\r\n\r\nbody\r\n");
  CHECK(checkReplytoInList(lists, none.ctx, {"PAYPAL"}) == 0);
}
