// The ESMTP session state machine, driven without sockets.
#include <catch2/catch.hpp>

#include "gateway/smtp/request_deadlines.h"
#include "gateway/smtp/server_session.h"

using namespace portcullis;
using Event = smtp::ServerSession::Event;

namespace {
// These cases exercise the state machine, and several send commands ahead the way only a
// pipelining-violating client would; the protocol tests are covered by cases of their own.
smtp::SessionSettings lenient() {
  smtp::SessionSettings s;
  s.dropOnPipelining = false;
  s.dropOnBareNewline = false;
  return s;
}

struct Harness {
  smtp::ServerSession s;
  std::vector<Event> events;
  std::vector<std::string> messages;
  // Answers for the next Rcpt events, in order (empty reply = accept).
  std::vector<core::Reply> rcptAnswers;

  explicit Harness(smtp::SessionSettings settings = lenient(), core::Reply greeting = {})
      : s([&] {
          settings.hostname = "gw.test";
          return settings;
        }(), core::SessionInfo{}) {
    s.info().id = "T";
    s.greet(greeting);
  }
  // Feeds bytes and runs the session until it needs input; returns the output produced.
  std::string send(std::string_view bytes) {
    s.receive(bytes);
    return pump();
  }
  std::string pump() {
    while (true) {
      Event e = s.next();
      events.push_back(e);
      switch (e) {
        case Event::NeedInput:
        case Event::Close:
          return s.takeOutput();
        case Event::Rcpt: {
          core::Reply r;
          if (!rcptAnswers.empty()) {
            r = rcptAnswers.front();
            rcptAnswers.erase(rcptAnswers.begin());
          }
          s.answer(r);
          break;
        }
        case Event::Message:
          messages.push_back(s.transaction()->message);
          s.answer(core::makeReply(250, "2.0.0", "Ok: queued"));
          break;
        case Event::StartTls:
          s.tlsStarted(core::TlsInfo{true, "TLSv1.3", "TEST"});
          break;
        case Event::Reset:
          break;
        default:
          s.answer({});
      }
    }
  }
  bool saw(Event e) const { return std::find(events.begin(), events.end(), e) != events.end(); }
};
}  // namespace

TEST_CASE("greeting, EHLO capabilities, no CHUNKING") {
  Harness h;
  CHECK(h.s.takeOutput() == "220 gw.test ESMTP Portcullis\r\n");
  std::string ehlo = h.send("EHLO client.test\r\n");
  CHECK(ehlo.starts_with("250-gw.test\r\n"));
  for (const char* cap : {"PIPELINING", "SIZE 26214400", "ENHANCEDSTATUSCODES", "8BITMIME", "SMTPUTF8", "STARTTLS"})
    CHECK(ehlo.find(cap) != std::string::npos);
  CHECK(ehlo.find("CHUNKING") == std::string::npos);
  CHECK(h.send("HELO client.test\r\n") == "250 gw.test\r\n");
}

TEST_CASE("a pipelined transaction is answered in order and the message kept") {
  Harness h;
  h.s.takeOutput();
  std::string out = h.send("EHLO c.test\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\n");
  CHECK(out.find("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 ") != std::string::npos);
  out = h.send("Subject: t\r\n\r\n..dot\r\n.\r\nQUIT\r\n");
  REQUIRE(h.messages.size() == 1);
  CHECK(h.messages[0] == "Subject: t\r\n\r\n.dot\r\n");
  CHECK(out == "250 2.0.0 Ok: queued\r\n221 2.0.0 Bye\r\n");
  CHECK(h.s.closed());
}

TEST_CASE("sequence errors") {
  Harness h;
  h.s.takeOutput();
  CHECK(h.send("MAIL FROM:<a@x.test>\r\n").starts_with("503 5.5.1"));
  h.send("EHLO c.test\r\n");
  CHECK(h.send("RCPT TO:<b@y.test>\r\n").starts_with("503 5.5.1"));
  CHECK(h.send("DATA\r\n").starts_with("503 5.5.1"));
  h.send("MAIL FROM:<a@x.test>\r\n");
  CHECK(h.send("MAIL FROM:<a@x.test>\r\n").starts_with("503 5.5.1"));
  CHECK(h.send("DATA\r\n").starts_with("554 5.5.1"));
  CHECK(h.send("RSET\r\n") == "250 2.0.0 Ok\r\n");
  CHECK(h.saw(Event::Reset));
  CHECK(h.send("RCPT TO:<b@y.test>\r\n").starts_with("503 5.5.1"));
}

TEST_CASE("commands answered locally") {
  Harness h;
  h.s.takeOutput();
  CHECK(h.send("NOOP\r\n") == "250 2.0.0 Ok\r\n");
  CHECK(h.send("VRFY bob\r\n").starts_with("252 2.0.0"));
  CHECK(h.send("VRFY\r\n").starts_with("501 5.5.4"));
  CHECK(h.send("HELP\r\n").starts_with("214 2.0.0"));
  CHECK(h.send("BDAT 10 LAST\r\n").starts_with("502 5.5.1"));
  CHECK(h.send("AUTH PLAIN\r\n").starts_with("502 5.5.1"));
  CHECK(h.send("FOO\r\n").starts_with("502 5.5.2"));
  CHECK(h.send("EHLO\r\n").starts_with("501 5.5.4"));
  CHECK(h.send("EHLO two words\r\n").starts_with("501 5.5.4"));
}

TEST_CASE("MAIL parameters: SIZE, BODY, SMTPUTF8, unknown") {
  smtp::SessionSettings st = lenient();
  st.maxMessageSize = 1000;
  Harness h(st);
  h.s.takeOutput();
  h.send("EHLO c.test\r\n");
  CHECK(h.send("MAIL FROM:<a@x.test> SIZE=2000\r\n").starts_with("552 5.3.4"));
  CHECK(h.send("MAIL FROM:<a@x.test> SIZE=abc\r\n").starts_with("501 5.5.4"));
  CHECK(h.send("MAIL FROM:<a@x.test> BODY=BINARYMIME\r\n").starts_with("501 5.5.4"));
  CHECK(h.send("MAIL FROM:<a@x.test> FOO=1\r\n").starts_with("555 5.5.4"));
  CHECK(h.send("MAIL FROM:<jörg@x.test>\r\n").starts_with("553 5.6.7"));
  CHECK(h.send("MAIL FROM:<jörg@x.test> SMTPUTF8 BODY=8BITMIME SIZE=10\r\n").starts_with("250"));
  CHECK(h.s.transaction()->smtputf8);
  CHECK(h.s.transaction()->body8bit);
  CHECK(*h.s.transaction()->declaredSize == 10);
  CHECK(h.send("RCPT TO:<b@y.test> NOTIFY=NEVER\r\n").starts_with("555 5.5.4"));
  Harness helo;
  helo.s.takeOutput();
  helo.send("HELO c.test\r\n");
  CHECK(helo.send("MAIL FROM:<a@x.test> SIZE=10\r\n").starts_with("555 5.5.4"));
}

TEST_CASE("recipient limit answers 452 4.5.3") {
  smtp::SessionSettings st = lenient();
  st.maxRecipients = 2;
  Harness h(st);
  h.s.takeOutput();
  h.send("EHLO c.test\r\nMAIL FROM:<a@x.test>\r\n");
  h.send("RCPT TO:<1@y.test>\r\nRCPT TO:<2@y.test>\r\n");
  CHECK(h.send("RCPT TO:<3@y.test>\r\n").starts_with("452 4.5.3"));
}

TEST_CASE("long lines, bare LF, bare CR and NUL in commands") {
  smtp::SessionSettings st = lenient();
  st.maxLineLength = 512;
  Harness h(st);
  h.s.takeOutput();
  CHECK(h.send(std::string(600, 'A') + "\r\nNOOP\r\n") == "500 5.5.2 Error: line too long\r\n250 2.0.0 Ok\r\n");
  // A long line arriving in pieces is discarded to its end, then answered once.
  CHECK(h.send(std::string(700, 'B')).empty());
  CHECK(h.send(std::string(700, 'B') + "\r\n").starts_with("500 5.5.2"));
  CHECK(h.send("NOOP\n").starts_with("500 5.5.2"));
  CHECK(h.send("NO\rOP\r\n").starts_with("500 5.5.2"));
  CHECK(h.send(std::string("NO\0OP\r\n", 7)).starts_with("500 5.5.2"));
}

TEST_CASE("too many errors closes with 421") {
  smtp::SessionSettings st = lenient();
  st.maxErrors = 3;
  Harness h(st);
  h.s.takeOutput();
  std::string out = h.send("X\r\nY\r\nZ\r\nNOOP\r\n");
  CHECK(out.find("421 4.7.0") != std::string::npos);
  CHECK(out.find("250 2.0.0") == std::string::npos);
  CHECK(h.s.closed());
}

TEST_CASE("STARTTLS discards pipelined plaintext and resets the session") {
  Harness h;
  h.s.takeOutput();
  h.send("EHLO c.test\r\n");
  std::string out = h.send("STARTTLS\r\nMAIL FROM:<injected@x.test>\r\n");
  CHECK(out == "220 2.0.0 Ready to start TLS\r\n");
  CHECK(h.saw(Event::StartTls));
  CHECK(h.s.info().tls.active);
  CHECK(h.s.info().helo.empty());
  CHECK(h.s.transaction() == nullptr);
  // The injected MAIL was never executed: the session still needs EHLO.
  CHECK(h.send("RCPT TO:<b@y.test>\r\n").starts_with("503"));
  CHECK(h.send("MAIL FROM:<a@x.test>\r\n").starts_with("503 5.5.1 Error: send HELO"));
  std::string ehlo = h.send("EHLO c.test\r\n");
  CHECK(ehlo.find("STARTTLS") == std::string::npos);
  CHECK(h.send("STARTTLS\r\n").starts_with("554 5.5.1"));
}

TEST_CASE("STARTTLS in a transaction or with arguments is refused") {
  Harness h;
  h.s.takeOutput();
  h.send("EHLO c.test\r\nMAIL FROM:<a@x.test>\r\n");
  CHECK(h.send("STARTTLS\r\n").starts_with("503 5.5.1"));
  CHECK(h.send("RSET\r\nSTARTTLS now\r\n").find("501 5.5.4") != std::string::npos);
}

TEST_CASE("a bare LF in DATA closes with 521 and nothing is delivered") {
  Harness h;
  h.s.takeOutput();
  h.send("EHLO c.test\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\n");
  std::string out = h.send("Subject: x\r\n\r\nhi\n.\nMAIL FROM:<evil@x.test>\r\n");
  CHECK(out.starts_with("521 5.5.2"));
  CHECK(h.messages.empty());
  CHECK(h.s.closed());
}

TEST_CASE("normalize mode: a bare LF dot line ends nothing, one message is delivered") {
  smtp::SessionSettings st = lenient();
  st.bareLineEndings = smtp::BareLineEndings::Normalize;
  Harness h(st);
  h.s.takeOutput();
  h.send("EHLO c.test\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\n");
  CHECK(h.send("Subject: x\r\n\r\nhi\n.\n").empty());  // no reply: the data goes on
  std::string out = h.send("MAIL FROM:<evil@x.test>\r\nRCPT TO:<v@y.test>\r\nDATA\r\nevil\r\n.\r\n");
  CHECK(out == "250 2.0.0 Ok: queued\r\n");
  REQUIRE(h.messages.size() == 1);
  CHECK(h.messages[0] ==
        "Subject: x\r\n\r\nhi\r\nMAIL FROM:<evil@x.test>\r\nRCPT TO:<v@y.test>\r\nDATA\r\nevil\r\n");
}

TEST_CASE("a header line over 998 bytes: 554 5.6.0, or folded by config") {
  const std::string longSubject = "Subject: " + std::string(600, 'a') + " " + std::string(600, 'b');
  for (auto mode : {smtp::LongHeaderLines::Reject, smtp::LongHeaderLines::Fold}) {
    smtp::SessionSettings st = lenient();
    st.longHeaderLines = mode;
    Harness h(st);
    h.s.takeOutput();
    h.send("EHLO c.test\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\n");
    std::string out = h.send(longSubject + "\r\n\r\nbody\r\n.\r\nNOOP\r\n");
    if (mode == smtp::LongHeaderLines::Reject) {
      CHECK(out.starts_with("554 5.6.0 Error: header line 1 is 1210 bytes"));
      CHECK(h.messages.empty());
      CHECK(h.saw(Event::Reset));
    } else {
      CHECK(out.starts_with("250 2.0.0 Ok: queued"));
      REQUIRE(h.messages.size() == 1);
      CHECK(h.messages[0] == "Subject: " + std::string(600, 'a') + "\r\n " + std::string(600, 'b') +
                                 "\r\n\r\nbody\r\n");
    }
    CHECK(out.ends_with("250 2.0.0 Ok\r\n"));  // the NOOP: the session goes on
  }
}

TEST_CASE("SMTPUTF8 addresses must be strict UTF-8") {
  Harness h;
  h.s.takeOutput();
  h.send("EHLO c.test\r\n");
  CHECK(h.send("MAIL FROM:<\xff\xfe@x.test> SMTPUTF8\r\n").starts_with("553 5.6.7"));
  CHECK(h.send("MAIL FROM:<j\xc3\xb6rg@x.test>\r\n").starts_with("553 5.6.7"));
  CHECK(h.send("MAIL FROM:<j\xc3\xb6rg@x.test> SMTPUTF8\r\n").starts_with("250"));
  CHECK(h.send("RCPT TO:<a\xed\xa0\x80@y.test>\r\n").starts_with("553 5.6.7"));
  CHECK(h.send("RCPT TO:<\xe7\x94\xa8@y.test>\r\n").starts_with("250"));
}

TEST_CASE("oversized message gets 552 5.3.4 and the session goes on") {
  smtp::SessionSettings st = lenient();
  st.maxMessageSize = 1024;
  Harness h(st);
  h.s.takeOutput();
  h.send("EHLO c.test\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\n");
  std::string out = h.send(std::string(4000, 'x') + "\r\n.\r\nNOOP\r\n");
  CHECK(out == "552 5.3.4 Error: message file too big\r\n250 2.0.0 Ok\r\n");
  CHECK(h.messages.empty());
}

TEST_CASE("client gone mid-DATA: the message is dropped") {
  Harness h;
  h.s.takeOutput();
  h.send("EHLO c.test\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\npartial\r\n");
  h.s.eof();
  h.pump();
  CHECK(h.messages.empty());
  CHECK(h.s.closed());
}

TEST_CASE("rejected at connect: 554 banner, 503 to commands, 221 to QUIT") {
  Harness h(lenient(), core::makeReply(554, "5.7.1", "go away"));
  CHECK(h.s.takeOutput() == "554 go away\r\n");
  CHECK(h.send("EHLO c.test\r\n").starts_with("503 5.5.1"));
  CHECK(h.send("MAIL FROM:<a@x.test>\r\n").starts_with("503 5.5.1"));
  CHECK(h.send("QUIT\r\n") == "221 2.0.0 Bye\r\n");
}

TEST_CASE("a refused recipient is not added - EHLO mid-transaction resets it") {
  Harness h;
  h.s.takeOutput();
  h.rcptAnswers = {core::makeReply(554, "5.7.1", "Relay access denied"), {}};
  h.send("EHLO c.test\r\nMAIL FROM:<a@x.test>\r\n");
  CHECK(h.send("RCPT TO:<b@evil.test>\r\n").starts_with("554 5.7.1"));
  CHECK(h.s.transaction()->recipients.empty());
  h.send("RCPT TO:<b@y.test>\r\n");
  CHECK(h.s.transaction()->recipients.size() == 1);
  h.send("EHLO again.test\r\n");
  CHECK(h.s.transaction() == nullptr);
  CHECK(h.saw(Event::Reset));
  CHECK(h.s.info().helo == "again.test");
}

TEST_CASE("idle timeout answers 421 4.4.2") {
  Harness h;
  h.s.takeOutput();
  h.s.idleTimeout();
  CHECK(h.pump().starts_with("421 4.4.2"));
  CHECK(h.s.closed());
}

TEST_CASE("slow clients: a trickled command line or DATA misses its deadline, 421 4.4.2") {
  using Limit = smtp::RequestDeadlines::Limit;
  using namespace std::chrono_literals;
  smtp::RequestDeadlines d({10s, 3s, 20s, 1000});
  Harness h;
  const auto t0 = std::chrono::steady_clock::time_point{} + 1000s;
  // Idle between commands: only the idle timeout.
  auto next = d.beforeRead(t0, h.s.inData(), h.s.midCommand(), h.s.linesTaken());
  CHECK(next.limit == Limit::Idle);
  CHECK(next.at == t0 + 10s);
  // The first byte of a line starts its clock; more bytes do not move it.
  h.send("E");
  next = d.beforeRead(t0 + 1s, h.s.inData(), h.s.midCommand(), h.s.linesTaken());
  CHECK(next.limit == Limit::Command);
  CHECK(next.at == t0 + 4s);
  h.send("H");
  CHECK(d.beforeRead(t0 + 2s, h.s.inData(), h.s.midCommand(), h.s.linesTaken()).at == t0 + 4s);
  // A whole line, and the next one begun in the same read: its own clock.
  h.send("LO a.test\r\nMAIL FROM:<a@b.test>\r\nRC");
  next = d.beforeRead(t0 + 3s, h.s.inData(), h.s.midCommand(), h.s.linesTaken());
  CHECK(next.at == t0 + 6s);
  h.send("PT TO:<c@d.test>\r\nDATA\r\n");
  REQUIRE(h.s.inData());
  // DATA: the command timeout free, then 1000 bytes/s, never banked beyond 3 s ahead.
  const auto t1 = t0 + 10s;
  next = d.beforeRead(t1, h.s.inData(), h.s.midCommand(), h.s.linesTaken());
  CHECK(next.limit == Limit::DataRate);
  CHECK(next.at == t1 + 3s);
  d.afterRead(t1 + 1s, 500);  // bought 0.5 s
  CHECK(d.beforeRead(t1 + 1s, true, false, 0).at == t1 + 3500ms);
  d.afterRead(t1 + 2s, 100'000);  // bought 100 s, capped at 3 s ahead
  CHECK(d.beforeRead(t1 + 2s, true, false, 0).at == t1 + 5s);
  // Fast all along, the whole DATA still ends at the data timeout.
  for (int i = 3; i < 19; ++i) d.afterRead(t1 + std::chrono::seconds(i), 100'000);
  next = d.beforeRead(t1 + 18s, true, false, 0);
  CHECK(next.limit == Limit::DataTimeout);
  CHECK(next.at == t1 + 20s);
  CHECK(d.describe(Limit::DataTimeout, t1 + 20s).find("not complete within 20 s") !=
        std::string::npos);
  h.s.tooSlow(d.describe(Limit::DataRate, t1 + 20s));
  const std::string out = h.pump();
  CHECK(out.starts_with("421 4.4.2 gw.test Error: timeout exceeded: message data below"));
  CHECK(h.s.closed());
  CHECK(h.messages.empty());
}
