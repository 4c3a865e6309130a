#include <catch2/catch.hpp>

#include "tests/unit/evals/relay_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;

namespace {
EvalSettings tlds() {
  return settings({{"util_rb_2tld", "co.uk com.au"}, {"util_rb_3tld", "act.edu.au"}});
}
}  // namespace

TEST_CASE("check_mailfrom_matches_rcvd: sender domain is the first untrusted relay's",
          "[evals][relay]") {
  portcullis::content::relays::RelayPath path;
  path.untrusted.push_back(relay("192.0.2.7", "mail-out3.Shop.co.uk", "m", "mx.example.org"));
  path.untrusted.push_back(relay("192.0.2.8", "other.example.net", "o", "mail-out3.shop.co.uk"));
  DomainBoundaries boundaries(tlds());
  RelayEvalMessage msg("Return-Path: <news@bounces.shop.co.uk>\nFrom: a@b.example\n\nx\n", path);
  CHECK(checkMailfromMatchesRcvd(msg.ctx(), boundaries) == 1);
}

TEST_CASE("check_mailfrom_matches_rcvd: other domain, public suffix, no sender", "[evals][relay]") {
  DomainBoundaries boundaries(tlds());
  portcullis::content::relays::RelayPath path;
  path.untrusted.push_back(relay("192.0.2.7", "mail.other.co.uk", "m", "mx.example.org"));
  RelayEvalMessage other("Return-Path: <news@shop.co.uk>\nFrom: a@b.example\n\nx\n", path);
  CHECK(checkMailfromMatchesRcvd(other.ctx(), boundaries) == 0);
  RelayEvalMessage none("From: a@b.example\n\nx\n", path);
  CHECK(checkMailfromMatchesRcvd(none.ctx(), boundaries) == 0);
  // Only the first untrusted relay counts, even if a trusted one matches.
  path.trusted.push_back(relay("10.0.0.1", "gw.shop.co.uk", "g", "mx.example.org"));
  RelayEvalMessage trustedOnly("Return-Path: <news@shop.co.uk>\nFrom: a@b.example\n\nx\n", path);
  CHECK(checkMailfromMatchesRcvd(trustedOnly.ctx(), boundaries) == 0);
  path.untrusted.clear();
  RelayEvalMessage allTrusted("Return-Path: <news@shop.co.uk>\nFrom: a@b.example\n\nx\n", path);
  CHECK(checkMailfromMatchesRcvd(allTrusted.ctx(), boundaries) == 1);
}

TEST_CASE("DomainBoundaries: split_domain's answers", "[evals][relay]") {
  DomainBoundaries b(tlds());
  CHECK(b.split("www.Example.com") == std::pair<std::string, std::string>{"www", "example.com"});
  CHECK(b.split("a.b.shop.co.uk").second == "shop.co.uk");
  CHECK(b.split("x.unsw.act.edu.au").second == "unsw.act.edu.au");
  CHECK(b.split("city.ca.us").second == "city.ca.us");
  CHECK(b.split("www..example.com.").second == "example.com");
  CHECK(b.split("localhost").second == "localhost");
  CHECK(b.split("").second.empty());
}
