// Downstream reply parsing and dot-stuffing on the way out.
#include <catch2/catch.hpp>

#include "gateway/relay/dot_stuffing.h"
#include "gateway/relay/reply_parser.h"

using namespace portcullis;

TEST_CASE("single and multi-line replies, enhanced codes split off") {
  relay::ReplyParser p;
  p.feed("250-mx.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n550 5.7.1 No ");
  auto r = p.next();
  REQUIRE(r);
  CHECK(r->code == 250);
  CHECK(r->text == "mx.test\nPIPELINING\n8BITMIME");
  CHECK_FALSE(p.next());
  p.feed("such user\r\n");
  r = p.next();
  REQUIRE(r);
  CHECK(r->code == 550);
  CHECK(r->enhanced == "5.7.1");
  CHECK(r->text == "No such user");
  p.feed("354 End data\r\n");
  CHECK(p.next()->enhanced.empty());
}

TEST_CASE("malformed downstream replies are errors, not crashes") {
  for (const char* junk : {"hello\r\n", "25\r\n", "250x\r\n", "250-a\r\n451 b\r\n", "050 2.0.1 x\r\n", "650 no\r\n"}) {
    relay::ReplyParser p;
    p.feed(junk);
    auto r = p.next();
    REQUIRE(r);
    CHECK(r->code == -1);
  }
}

TEST_CASE("dot-stuffing is re-applied across chunk boundaries") {
  relay::DotStuffer s;
  std::string out;
  s.append(".a\r\nb\r", out);
  s.append("\n.", out);
  s.append("c\r\n..\r\n", out);
  s.finish(out);
  CHECK(out == "..a\r\nb\r\n..c\r\n...\r\n.\r\n");
  relay::DotStuffer t;
  std::string o2;
  t.append("no final newline", o2);
  t.finish(o2);
  CHECK(o2 == "no final newline\r\n.\r\n");
  relay::DotStuffer e;
  std::string o3;
  e.finish(o3);
  CHECK(o3 == ".\r\n");
}
