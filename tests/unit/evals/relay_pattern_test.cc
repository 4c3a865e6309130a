#include <catch2/catch.hpp>

#include "gateway/content/evals/relay_pattern.h"
#include "tests/unit/evals/relay_eval_fixture.h"

using namespace portcullis::content::evals;
using namespace portcullis::content::evals::testing;

TEST_CASE("relay pattern helpers: SpamAssassin's IP constants", "[evals][relay]") {
  CHECK(isSaIpv4Address("192.0.2.1"));
  CHECK_FALSE(isSaIpv4Address("192.0.2.01"));
  CHECK_FALSE(isSaIpv4Address("256.0.2.1"));
  CHECK_FALSE(isSaIpv4Address("1.2.3"));
  CHECK_FALSE(isSaIpv4Address("1.2.3.4.5"));
  CHECK_FALSE(isSaIpv4Address(""));
  CHECK(isSaPrivateIp("10.1.2.3"));
  CHECK(isSaPrivateIp("172.20.0.1"));
  CHECK(isSaPrivateIp("100.64.0.1"));
  CHECK(isSaPrivateIp("::1"));
  CHECK(isSaPrivateIp("fe80::1"));
  CHECK(isSaPrivateIp("::ffff:192.168.1.1"));
  CHECK_FALSE(isSaPrivateIp("172.32.0.1"));
  CHECK_FALSE(isSaPrivateIp("2001:db8::1"));
  CHECK_FALSE(isSaPrivateIp("203.0.113.1"));
  RelayPattern ip(kSaIpAddress);
  CHECK(ip.search("X: [203.0.113.5]"));
  CHECK(ip.search("2001:db8::1"));
  CHECK_FALSE(ip.search("version 1.2.3"));
  CHECK(squashWhitespace("a \n\t b\r\n") == "a b ");
}
