#include <catch2/catch.hpp>

#include "address_list_fixture.h"
#include "gateway/content/evals/address_lists.h"

using namespace portcullis::content::evals;

TEST_CASE("address list globs as Parser::add_to_addrlist compiles them", "[evals][header][list]") {
  CHECK(addressGlobMatches("*@paypal.com", "service@paypal.com"));
  CHECK_FALSE(addressGlobMatches("*@paypal.com", "service@paypal.com.evil.example"));
  CHECK(addressGlobMatches("bad?@example.org", "bad1@example.org"));
  CHECK_FALSE(addressGlobMatches("bad?@example.org", "bad@example.org"));
  CHECK(addressGlobMatches("*@*.paypal.co.uk", "a@mail.paypal.co.uk"));
  CHECK(addressGlobMatches("a.b@x.com", "a.b@x.com"));
  CHECK_FALSE(addressGlobMatches("a.b@x.com", "axb@x.com"));  // '.' is literal
  CHECK(addressGlobMatches("**", ""));
}

TEST_CASE("address lists: enlisted, removed, case-insensitive", "[evals][header][list]") {
  AddressLists lists(testing::addressListSettings());
  CHECK(lists.has("PAYPAL"));
  CHECK_FALSE(lists.has("BANKS"));
  CHECK(lists.contains("PAYPAL", "Service@PayPal.com"));
  CHECK_FALSE(lists.contains("PAYPAL", "service@paypal.de"));  // delisted
  CHECK(lists.contains("blocklist_from", "x@spammer.example"));
  CHECK(lists.contains("welcomelist_from", "boss@example.com"));
  CHECK_FALSE(lists.contains("welcomelist_from", "friend@a.example.net"));  // unwelcomelisted
}
