#include <catch2/catch.hpp>

#include "address_list_fixture.h"
#include "gateway/content/evals/list_evals.h"
#include "header_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;

namespace {
int run(const std::string& headers, const std::string& list) {
  AddressLists lists(addressListSettings());
  HeaderEvalFixture f(headers + "Subject: x\r\n\r\nbody\r\n");
  return checkFromInList(lists, f.ctx, {list});
}
}  // namespace

TEST_CASE("check_from_in_list", "[evals][header][list]") {
  CHECK(run("From: PayPal <service@paypal.com>\r\n", "PAYPAL") == 1);
  CHECK(run("From: PayPal <service@paypal.com.example>\r\n", "PAYPAL") == 0);
  CHECK(run("From: x@example.com\r\nX-Envelope-From: <a@b.paypal.co.uk>\r\n", "PAYPAL") == 1);
  CHECK(run("From: PayPal <service@paypal.com>\r\n", "NO_SUCH_LIST") == 0);
  CHECK(run("From: PayPal <service@paypal.com>\r\n", "") == 0);
}
