// The command parser: verbs, paths, parameters and hostile input.
#include <catch2/catch.hpp>

#include "gateway/smtp/command.h"

using namespace portcullis;
using smtp::Command;
using smtp::Verb;

namespace {
Command ok(std::string_view line) {
  auto r = smtp::parseCommand(line);
  INFO(line);
  REQUIRE(std::holds_alternative<Command>(r));
  return std::get<Command>(r);
}
core::Reply bad(std::string_view line) {
  auto r = smtp::parseCommand(line);
  INFO(line);
  REQUIRE(std::holds_alternative<core::Reply>(r));
  return std::get<core::Reply>(r);
}
}  // namespace

TEST_CASE("verbs are case-insensitive and arguments kept") {
  CHECK(ok("ehlo client.example").verb == Verb::Ehlo);
  CHECK(ok("EHLO client.example").argument == "client.example");
  CHECK(ok("StartTLS").verb == Verb::StartTls);
  CHECK(ok("XYZZY foo").verb == Verb::Unknown);
  CHECK(ok("GET / HTTP/1.1").verb == Verb::Unknown);
  CHECK(ok("").verb == Verb::Unknown);
}

TEST_CASE("MAIL FROM paths") {
  auto c = ok("MAIL FROM:<alice@example.com> SIZE=1000 BODY=8BITMIME");
  CHECK(c.address.local == "alice");
  CHECK(c.address.domain == "example.com");
  REQUIRE(c.params.size() == 2);
  CHECK(c.params[0] == std::pair<std::string, std::string>{"SIZE", "1000"});
  CHECK(c.params[1].first == "BODY");

  CHECK(ok("MAIL FROM:<>").address.null);
  CHECK(ok("mail from: <a@b.example>").address.domain == "b.example");
  CHECK(ok("MAIL FROM:a@b.example").address.local == "a");
  CHECK(ok("MAIL FROM:<a@[192.0.2.1]>").address.domain == "[192.0.2.1]");
  CHECK(ok("MAIL FROM:<a@[IPv6:2001:db8::1]>").address.domain == "[IPv6:2001:db8::1]");
  CHECK(ok("MAIL FROM:<a@b.example> SMTPUTF8").params[0].first == "SMTPUTF8");
}

TEST_CASE("source routes are dropped, quoted local parts unquoted") {
  auto c = ok("RCPT TO:<@relay.example,@other.example:bob@example.com>");
  CHECK(c.address.routed);
  CHECK(c.address.local == "bob");
  CHECK(c.address.domain == "example.com");
  auto q = ok("RCPT TO:<\"bob@evil.example\"@example.com>");
  CHECK(q.address.quotedLocal);
  CHECK(q.address.local == "bob@evil.example");
  CHECK(q.address.domain == "example.com");
  CHECK(q.address.str() == "\"bob@evil.example\"@example.com");
  CHECK(ok("RCPT TO:<\"a\\\"b\"@example.com>").address.local == "a\"b");
  CHECK(ok("RCPT TO:<Postmaster>").address.domain.empty());
}

TEST_CASE("malformed paths get 501 and never crash") {
  CHECK(bad("RCPT TO:<>").code == 501);
  CHECK(bad("MAIL FROM:<a@b.example").code == 501);
  CHECK(bad("MAIL FROM:<@example.com>").code == 501);
  CHECK(bad("MAIL FROM:<johnathon@>").code == 501);
  CHECK(bad("MAIL FROM:<a@-bad.example>").code == 501);
  CHECK(bad("MAIL FROM:<a@[300.1.1.1]>").code == 501);
  CHECK(bad("MAIL FROM:<\"unterminated@example.com>").code == 501);
  CHECK(bad("MAIL FROM:<a@b.example>garbage").code == 501);
  CHECK(bad("MAIL <a@b.example>").code == 501);
  CHECK(bad("RCPT TO:<bob>").code == 501);
  CHECK(bad("MAIL FROM:<a@b.example> =x").code == 501);
  CHECK(bad("MAIL FROM:<a@b.example> SIZE=").code == 501);
  for (std::string junk : {std::string("MAIL FROM:<"), std::string("RCPT TO:<@"),
                           std::string("RCPT TO:<@a:"), std::string("MAIL FROM:\"\\"),
                           std::string("RCPT TO:<a@[IPv6:>"), std::string(300, '<')})
    smtp::parseCommand(junk);  // must simply return
}

TEST_CASE("address re-quoting round-trips through str()") {
  for (const char* line : {"RCPT TO:<\"john doe\"@example.com>", "RCPT TO:<a.b+c@example.com>",
                           "RCPT TO:<\"a..b\"@example.com>"}) {
    auto c = ok(line);
    std::string again = "RCPT TO:<" + c.address.str() + ">";
    auto d = ok(again);
    CHECK(d.address.local == c.address.local);
    CHECK(d.address.domain == c.address.domain);
  }
}
