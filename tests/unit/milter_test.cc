// The milter front door's protocol layer: packet framing, command decoding with named errors,
// reply encoding byte for byte, and whole conversations through the sans-I/O session.
#include <libmilter/mfapi.h>
#include <libmilter/mfdef.h>

#include <catch2/catch.hpp>

#include "gateway/milter/codec.h"
#include "gateway/milter/session.h"

using namespace portcullis;
using namespace portcullis::milter;
using namespace std::string_literals;

namespace {
std::string be32(uint32_t v) {
  return {char(v >> 24), char((v >> 16) & 0xff), char((v >> 8) & 0xff), char(v & 0xff)};
}
std::string packet(char c, const std::string& data = "") {
  return be32(static_cast<uint32_t>(data.size() + 1)) + c + data;
}
Command decoded(char c, const std::string& data) {
  auto r = decodeCommand({c, data});
  if (auto* err = std::get_if<std::string>(&r)) FAIL(*err);
  return std::get<Command>(r);
}
std::string errorOf(char c, const std::string& data) {
  auto r = decodeCommand({c, data});
  auto* err = std::get_if<std::string>(&r);
  return err ? *err : "";
}
// A NUL-terminated string, as milter payloads carry them.
std::string z(const std::string& s) {
  return s + '\0';
}
using Kind = MilterSession::Step::Kind;
const std::string kContinue = packet(SMFIR_CONTINUE);
}  // namespace

TEST_CASE("milter packets: framing across reads, limits named") {
  PacketReader r(100);
  const std::string two = packet(SMFIC_HELO, "mx.example\0"s) + packet(SMFIC_DATA);
  r.feed(two.substr(0, 3));
  CHECK_FALSE(r.next());
  r.feed(two.substr(3, 9));
  CHECK_FALSE(r.next());
  r.feed(two.substr(12));
  auto a = r.next();
  REQUIRE(a);
  CHECK(a->command == SMFIC_HELO);
  CHECK(a->data == "mx.example\0"s);
  auto b = r.next();
  REQUIRE(b);
  CHECK(b->command == SMFIC_DATA);
  CHECK(b->data.empty());
  CHECK_FALSE(r.next());
  CHECK(r.error().empty());

  PacketReader zero(100);
  zero.feed(be32(0));
  CHECK_FALSE(zero.next());
  CHECK(zero.error() == "a packet of length 0 (no command byte)");
  PacketReader big(100);
  big.feed(be32(1'000'000) + "B");
  CHECK_FALSE(big.next());
  CHECK(big.error() == "a packet of 1000000 bytes, above the limit of 101");
}

TEST_CASE("milter commands decode, malformed ones are named") {
  auto opt = std::get<OptNeg>(decoded(SMFIC_OPTNEG, be32(6) + be32(0x1ff) + be32(0x1fffff)));
  CHECK(opt.version == 6);
  CHECK(opt.actions == 0x1ff);
  CHECK(opt.protocol == 0x1fffff);
  CHECK(errorOf(SMFIC_OPTNEG, "abc") == "SMFIC_OPTNEG: 3 bytes, needs 12");

  auto m = std::get<Macros>(decoded(SMFIC_MACRO,
                                    "Cj\0mx.example\0{daemon_addr}\0"
                                    "192.0.2.25\0"s));
  CHECK(m.forCommand == 'C');
  REQUIRE(m.values.size() == 2);
  CHECK(m.values[1] == std::pair<std::string, std::string>("{daemon_addr}", "192.0.2.25"));
  CHECK(errorOf(SMFIC_MACRO, "Cj\0"s) == "SMFIC_MACRO: a macro name without a value");
  CHECK(errorOf(SMFIC_MACRO, "Cj") == "SMFIC_MACRO: a name or value without its NUL");

  auto c = std::get<Connect>(decoded(SMFIC_CONNECT,
                                     "client.example\0"
                                     "6\x04\xd2"
                                     "IPv6:2001:db8::1\0"s));
  CHECK(c.hostname == "client.example");
  CHECK(c.family == SMFIA_INET6);
  CHECK(c.port == 1234);
  CHECK(c.address == "2001:db8::1");
  auto u = std::get<Connect>(decoded(SMFIC_CONNECT, "localhost\0U"s));
  CHECK(u.family == SMFIA_UNKNOWN);
  CHECK(errorOf(SMFIC_CONNECT, "host") == "SMFIC_CONNECT: no NUL after the host name");
  CHECK(errorOf(SMFIC_CONNECT,
                "h\0"
                "4\0\x19"
                "192.0.2.1"s) == "SMFIC_CONNECT: no NUL after the address");
  CHECK(errorOf(SMFIC_CONNECT, "h\0X"s) == "SMFIC_CONNECT: unknown address family 'X'");

  auto mail = std::get<Envelope>(decoded(SMFIC_MAIL, "<a@b.example>\0SIZE=10\0"s));
  CHECK(mail.mail);
  CHECK(mail.address == "<a@b.example>");
  CHECK(mail.params == std::vector<std::string>{"SIZE=10"});
  CHECK_FALSE(std::get<Envelope>(decoded(SMFIC_RCPT, "<c@d>\0"s)).mail);
  auto h = std::get<Header>(decoded(SMFIC_HEADER, "Subject\0 hi\0"s));
  CHECK(h.value == " hi");
  CHECK(errorOf(SMFIC_HEADER, "Subject\0"s) ==
        "SMFIC_HEADER: not a name and a value, each with its NUL");
  CHECK(std::get<Body>(decoded(SMFIC_BODY, "chunk\r\n")).chunk == "chunk\r\n");
  CHECK(std::get<Quit>(decoded(SMFIC_QUIT_NC, "")).newConnection);
  CHECK(errorOf('Z', "") == "command 0x5a: unknown command");
}

TEST_CASE("milter replies encode byte for byte") {
  CHECK(encodeOptNeg({6, 0x31, 0x1f0080}) ==
        packet(SMFIC_OPTNEG, be32(6) + be32(0x31) + be32(0x1f0080)));
  CHECK(encodeReplyCode(550, "5.7.1", "Rejected 100% (ref X)") ==
        packet(SMFIR_REPLYCODE, z("550 5.7.1 Rejected 100%% (ref X)")));
  CHECK(encodeReplyCode(451, "4.7.1", "line one\nline two") ==
        packet(SMFIR_REPLYCODE, z("451-4.7.1 line one\r\n451 4.7.1 line two")));
  CHECK(encodeAddHeader("X-A", " b") == packet(SMFIR_ADDHEADER, "X-A\0 b\0"s));
  CHECK(encodeInsertHeader(0, "X-A", "b") == packet(SMFIR_INSHEADER, be32(0) + "X-A\0b\0"s));
  CHECK(encodeChangeHeader(2, "X-A", "") == packet(SMFIR_CHGHEADER, be32(2) + "X-A\0\0"s));
  CHECK(encodeQuarantine("why") == packet(SMFIR_QUARANTINE, "why\0"s));
}

TEST_CASE("milter session: Postfix's conversation, several messages, our header changes") {
  MilterSession s("S1", {"gw.test", 1 << 20});
  auto step = s.handle(OptNeg{6, 0x1ff, 0x1fffff});
  REQUIRE(step.kind == Kind::Reply);
  const uint32_t want = SMFIP_NR_HDR | SMFIP_NR_EOH | SMFIP_NR_BODY | SMFIP_NR_DATA |
                        SMFIP_NR_UNKN | SMFIP_HDR_LEADSPC;
  CHECK(step.bytes == encodeOptNeg({6, SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE, want}));

  CHECK(s.handle(Macros{'C', {{"j", "mx.test"}, {"{daemon_addr}", "192.0.2.25"}}}).kind ==
        Kind::Nothing);
  step = s.handle(Connect{"client.example", '4', 4321, "198.51.100.7"});
  CHECK(step.kind == Kind::RunStage);
  CHECK(step.stage == core::Stage::Connect);
  CHECK(s.info().clientIp->str() == "198.51.100.7");
  CHECK(s.info().clientPort == 4321);
  CHECK(s.info().serverIp->str() == "192.0.2.25");
  CHECK(s.info().frontDoor == core::FrontDoor::Milter);  // relay control is the MTA's
  core::StageOutcome connect;
  connect.clientName = "client.example";
  CHECK(s.stageDone(connect) == kContinue);
  CHECK(s.info().clientName == "client.example");
  CHECK(s.handle(Helo{"client.example"}).stage == core::Stage::Helo);
  CHECK(s.stageDone({}) == kContinue);

  for (int message = 1; message <= 2; ++message) {
    INFO(message);
    s.handle(Macros{'M', {{"i", "4Q" + std::to_string(message)}}});
    step = s.handle(Envelope{true, "<a@sender.example>", {"SIZE=120", "BODY=8BITMIME"}});
    CHECK(step.stage == core::Stage::Mail);
    CHECK(s.macro("i") == "4Q" + std::to_string(message));
    REQUIRE(s.transaction());
    CHECK(s.transaction()->id == "S1." + std::to_string(message));
    CHECK(s.transaction()->mailFrom.str() == "a@sender.example");
    CHECK(s.transaction()->declaredSize == 120u);
    CHECK(s.transaction()->body8bit);
    CHECK(s.stageDone({}) == kContinue);
    // A recipient a check refuses gets our reply and leaves the transaction.
    CHECK(s.handle(Envelope{false, "<nobody@example.com>", {}}).stage == core::Stage::Rcpt);
    core::StageOutcome refused;
    refused.force({core::Action::Reject, core::Reply{550, "5.1.1", "No such user"}, "X"});
    CHECK(s.stageDone(refused) == packet(SMFIR_REPLYCODE, z("550 5.1.1 No such user")));
    s.handle(Envelope{false, "<bob@example.com>", {}});
    CHECK(s.stageDone({}) == kContinue);
    CHECK(s.transaction()->recipients.size() == 1);
    if (message == 1) {
      // The MTA gave up on this one (another filter refused it): the next starts afresh.
      CHECK(s.handle(Abort{}).kind == Kind::Nothing);
      CHECK_FALSE(s.transaction());
      continue;
    }
    CHECK(s.handle(Data{}).kind == Kind::Nothing);  // SMFIP_NR_DATA
    CHECK(s.handle(Header{"Authentication-Results", " gw.test; dkim=pass"}).kind == Kind::Nothing);
    s.handle(Header{"Authentication-Results", " other.test; spf=pass"});
    s.handle(Header{"Subject", " folded\n\tline"});
    s.handle(EndOfHeaders{});
    s.handle(Body{"hello\r\n"});
    CHECK(s.handle(EndOfMessage{"bye\r\n"}).kind == Kind::EndOfMessage);
    CHECK(s.transaction()->message ==
          "Authentication-Results: gw.test; dkim=pass\r\n"
          "Authentication-Results: other.test; spf=pass\r\n"
          "Subject: folded\r\n\tline\r\n\r\nhello\r\nbye\r\n");
    core::Decision accept;
    const std::string out =
        s.finish(accept, {{"Authentication-Results", "gw.test; spf=none"}, {"X-Spam", "no"}});
    CHECK(out == encodeChangeHeader(1, "Authentication-Results", "") +
                     encodeInsertHeader(0, "X-Spam", " no") +
                     encodeInsertHeader(0, "Authentication-Results", " gw.test; spf=none") +
                     kContinue);
    CHECK_FALSE(s.transaction());
  }
  CHECK(s.handle(Quit{}).kind == Kind::Close);
}

TEST_CASE("milter session: forged Authentication-Results go by their own name and index") {
  MilterSession s("S1", {"gw.test", 1 << 20});
  s.handle(OptNeg{6, 0x1ff, 0x1fffff});
  s.handle(Connect{"client.example", '4', 4321, "198.51.100.7"});
  s.stageDone({});
  s.handle(Helo{"client.example"});
  s.stageDone({});
  s.handle(Envelope{true, "<a@sender.example>", {}});
  s.stageDone({});
  s.handle(Envelope{false, "<bob@example.com>", {}});
  s.stageDone({});
  s.handle(Header{"Authentication-Results", " other.test; spf=pass"});
  s.handle(Header{"Authentication-Results", " \"GW.test.\"; dmarc=pass"});
  s.handle(Header{"Authentication-Results\xc2\xa0", " other.test; dmarc=pass"});
  s.handle(Header{"authentication-results", " =?utf-8?q?gw.test?=; dmarc=pass"});
  s.handle(Header{"Authentication-Results\xc2\xa0", " x.test; dmarc=pass"});
  s.handle(EndOfHeaders{});
  s.handle(EndOfMessage{"hi\r\n"});
  // The index counts the fields of the same name, as libmilter's smfi_chgheader does: the
  // mangled name has a count of its own.
  const std::string out = s.finish(core::Decision{}, {});
  CHECK(out == encodeChangeHeader(2, "Authentication-Results\xc2\xa0", "") +
                   encodeChangeHeader(3, "authentication-results", "") +
                   encodeChangeHeader(1, "Authentication-Results\xc2\xa0", "") +
                   encodeChangeHeader(2, "Authentication-Results", "") + kContinue);
}

TEST_CASE("milter session: an MTA offering less, refusals and protocol errors") {
  MilterSession s("S2", {"gw.test", 64});
  CHECK(s.handle(Helo{"x"}).kind == Kind::Close);  // before negotiation
  auto old = s.handle(OptNeg{1, 0, 0});
  CHECK(old.kind == Kind::Close);
  CHECK(old.error == "milter protocol version 1 (2 to 6 spoken)");

  // Version 2, may only add headers, wants every reply, sends values without leading space.
  MilterSession v2("S3", {"gw.test", 64});
  REQUIRE(v2.handle(OptNeg{2, SMFIF_ADDHDRS, 0}).bytes == encodeOptNeg({2, SMFIF_ADDHDRS, 0}));
  v2.handle(Connect{"h", '4', 25, "192.0.2.1"});
  v2.stageDone({});
  v2.handle(Envelope{true, "<>", {}});
  CHECK(v2.transaction()->mailFrom.null);
  v2.stageDone({});
  CHECK(v2.handle(Data{}).bytes == kContinue);
  CHECK(v2.handle(Header{"Subject", "hi"}).bytes == kContinue);
  CHECK(v2.handle(EndOfHeaders{}).bytes == kContinue);
  CHECK(v2.handle(Body{std::string(100, 'x')}).bytes == kContinue);
  CHECK(v2.oversize());  // above 64 bytes: not kept, and said so
  v2.handle(EndOfMessage{});
  CHECK(v2.transaction()->message == "Subject: hi\r\n\r\n");
  // No CHGHDRS: forged fields cannot be removed; no version 6: headers are appended.
  core::Decision accept;
  CHECK(v2.finish(accept, {{"X-Spam", "no"}}) == encodeAddHeader("X-Spam", "no") + kContinue);

  // Refusals at the end of the message carry the reference; quarantine without the MTA's
  // support holds the message with a 451.
  v2.handle(Envelope{true, "<a@b.example>", {}});
  v2.stageDone({});
  v2.handle(EndOfMessage{});
  core::Decision reject{core::Action::Reject, {550, "5.7.1", "Message rejected as spam"}, "score"};
  CHECK(v2.finish(reject, {}) ==
        packet(SMFIR_REPLYCODE, "550 5.7.1 Message rejected as spam (ref S3.2)\0"s));
  v2.handle(Envelope{true, "<a@b.example>", {}});
  v2.stageDone({});
  v2.handle(EndOfMessage{});
  core::Decision quarantine{core::Action::Quarantine, {}, "score"};
  CHECK(v2.finish(quarantine, {}) ==
        encodeReplyCode(451, "4.3.0", "Message held for review; try again later"));
  // A malformed sender is answered, not crashed on.
  auto bad = v2.handle(Envelope{true, "<a@@b>", {}});
  CHECK(bad.kind == Kind::Reply);
  CHECK(bad.bytes == encodeReplyCode(553, "5.1.7", "Malformed sender address"));
  // QUIT_NC: the connection is reused for another client.
  CHECK(v2.handle(Quit{true}).kind == Kind::Nothing);
  CHECK_FALSE(v2.info().clientIp);
}
