// The command parser: verbs, paths, parameters and hostile input.
#include <catch2/catch.hpp>

#include "gateway/smtp/command.h"
#include "gateway/smtp/utf8_address.h"

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
  // Every malformed path is a 501 with an enhanced code saying what is wrong with it: 5.1.7
  // for the address itself, 5.5.4 for the command around it.
  const std::pair<std::string, std::string> cases[] = {
      {"RCPT TO:<>", "5.1.7"},
      {"MAIL FROM:<a@b.example", "5.1.7"},
      {"MAIL FROM:<@example.com>", "5.1.7"},
      {"MAIL FROM:<johnathon@>", "5.1.7"},
      {"MAIL FROM:<a@-bad.example>", "5.1.7"},
      {"MAIL FROM:<a@[300.1.1.1]>", "5.1.7"},
      {"MAIL FROM:<\"unterminated@example.com>", "5.1.7"},
      {"MAIL FROM:<a@b.example>garbage", "5.1.7"},
      {"MAIL <a@b.example>", "5.5.4"},
      {"RCPT TO:<bob>", "5.1.7"},
      {"MAIL FROM:<a@b.example> =x", "5.5.4"},
      {"MAIL FROM:<a@b.example> SIZE=", "5.5.4"},
      // Hostile fragments: each must simply return its 501.
      {"MAIL FROM:<", "5.1.7"},
      {"RCPT TO:<@", "5.1.7"},
      {"RCPT TO:<@a:", "5.1.7"},
      {"MAIL FROM:\"\\", "5.1.7"},
      {"RCPT TO:<a@[IPv6:>", "5.1.7"},
      {"MAIL FROM:<" + std::string(300, '<'), "5.1.7"},
  };
  for (const auto& [line, enhanced] : cases) {
    INFO(line);
    auto r = bad(line);
    CHECK(r.code == 501);
    CHECK(r.enhanced == enhanced);
    CHECK_FALSE(r.text.empty());
  }
  // Not a verb at all: a command the session answers 502, not a crash.
  CHECK(ok(std::string(300, '<')).verb == Verb::Unknown);
}

TEST_CASE("control characters in a local part get 501, quoted or not") {
  for (std::string line : {std::string("MAIL FROM:<a\x01" "b@b.example>"),
                           std::string("MAIL FROM:<a\tb@b.example>"),
                           std::string("RCPT TO:<\"a\x1b\"@b.example>"),
                           std::string("RCPT TO:<\"a\\\x7f\"@b.example>"),
                           std::string("RCPT TO:<a\\\nb@b.example>")}) {
    INFO(line);
    auto r = bad(line);
    CHECK(r.code == 501);
    CHECK(r.text.find("control character") != std::string::npos);
  }
  CHECK(ok("RCPT TO:<\"john doe\"@b.example>").address.local == "john doe");
}

TEST_CASE("strict UTF-8 for SMTPUTF8 addresses") {
  using smtp::utf8Problem;
  CHECK_FALSE(utf8Problem("plain"));
  CHECK_FALSE(utf8Problem("j\xc3\xb6rg"));                  // U+00F6
  CHECK_FALSE(utf8Problem("\xe7\x94\xa8\xe6\x88\xb7"));     // CJK
  CHECK_FALSE(utf8Problem("\xf0\x9f\x98\x80"));             // U+1F600
  CHECK_FALSE(utf8Problem("\xf4\x8f\xbf\xbf"));             // U+10FFFF, the last one
  CHECK_FALSE(utf8Problem("\xed\x9f\xbf\xee\x80\x80"));     // U+D7FF, U+E000 around the gap
  CHECK_FALSE(utf8Problem("\xc2\xa0"));                     // U+00A0, just past C1
  const std::pair<std::string, std::string> bad[] = {
      {"\xff\xfe", "invalid byte 0xFF at byte 1"},
      {"a\x80", "invalid byte 0x80 at byte 2"},
      {"\xf8\x88\x80\x80\x80", "invalid byte 0xF8"},
      {"j\xc3", "truncated sequence at byte 2"},
      {"\xe2\x82x", "truncated sequence"},
      {"\xc0\xaf", "overlong encoding at byte 1"},
      {"\xc1\xbf", "overlong encoding"},
      {"\xe0\x80\xaf", "overlong encoding"},
      {"\xe0\x9f\xbf", "overlong encoding"},
      {"\xf0\x8f\xbf\xbf", "overlong encoding"},
      {"\xed\xa0\x80", "UTF-16 surrogate U+D800"},
      {"\xed\xbf\xbf", "UTF-16 surrogate U+DFFF"},
      {"\xf4\x90\x80\x80", "code point above U+10FFFF"},
      {"\xf7\xbf\xbf\xbf", "code point above U+10FFFF"},
      {"a\xc2\x85", "control character U+0085 at byte 2"},
      {"\xc2\x80", "control character U+0080"},
      {"\xc2\x9f", "control character U+009F"},
      {"a\tb", "control character U+0009"},
      {"a\x7f", "control character U+007F"},
  };
  for (const auto& [text, why] : bad) {
    INFO(why);
    auto p = utf8Problem(text);
    REQUIRE(p);
    CHECK(p->find(why) != std::string::npos);
  }
  core::Address a{"\xed\xa0\x80", "example.com"};
  auto r = smtp::checkSmtpUtf8Address(a);
  REQUIRE(r);
  CHECK(r->code == 553);
  CHECK(r->enhanced == "5.6.7");
  CHECK(r->text.find("of the local part") != std::string::npos);
  core::Address d{"a", "ex\xff" "ample.com"};
  REQUIRE(smtp::checkSmtpUtf8Address(d));
  CHECK(smtp::checkSmtpUtf8Address(d)->text.find("of the domain") != std::string::npos);
  CHECK_FALSE(smtp::checkSmtpUtf8Address(core::Address{"j\xc3\xb6rg", "b\xc3\xbc" "cher.example"}));
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
