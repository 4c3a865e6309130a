#include <catch2/catch.hpp>

#include "address_list_fixture.h"
#include "gateway/content/evals/list_evals.h"
#include "header_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;
using portcullis::content::relays::Relay;

namespace {
Relay relay(std::string ip, std::string rdns) {
  Relay r;
  r.ip = std::move(ip);
  r.rdns = rdns;
  r.lcRdns = rdns;
  return r;
}
}  // namespace

TEST_CASE("check_from_in_welcomelist and blocklist", "[evals][header][list]") {
  AddressLists lists(addressListSettings());
  HeaderEvalFixture boss("From: Boss <BOSS@example.com>\r\n\r\nbody\r\n");
  CHECK(checkFromInWelcomelist(lists, boss.ctx, {}) == 1);
  CHECK(checkFromInBlocklist(lists, boss.ctx, {}) == 0);
  HeaderEvalFixture spammer("From: x@spammer.example\r\n\r\nbody\r\n");
  CHECK(checkFromInBlocklist(lists, spammer.ctx, {}) == 1);
  CHECK(checkFromInWelcomelist(lists, spammer.ctx, {}) == 0);
}

TEST_CASE("check_from_in_welcomelist: _rcvd entries need the named relay",
          "[evals][header][list]") {
  AddressLists lists(addressListSettings());
  HeaderEvalFixture right("From: news@lists.example.org\r\n\r\nbody\r\n");
  right.path.untrusted = {relay("192.0.2.7", "out.mail.example.org")};
  CHECK(checkFromInWelcomelist(lists, right.ctx, {}) == 1);
  HeaderEvalFixture wrong("From: news@lists.example.org\r\n\r\nbody\r\n");
  wrong.path.untrusted = {relay("198.51.100.9", "mail.notexample.org")};
  CHECK(checkFromInWelcomelist(lists, wrong.ctx, {}) == 0);
  HeaderEvalFixture none("From: news@lists.example.org\r\n\r\nbody\r\n");
  CHECK(checkFromInWelcomelist(lists, none.ctx, {}) == 0);          // no relays known
  CHECK(checkFromInDefaultWelcomelist(lists, right.ctx, {}) == 0);  // not in the default list
}
