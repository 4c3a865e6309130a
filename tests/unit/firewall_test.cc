// The connection firewall's parts without sockets: DNS list specs, admission limits, the client
// cache, greylisting, HELO forms, and the SMTP session's protocol tests.
#include <catch2/catch.hpp>

#include "gateway/checks/domain_list.h"
#include "gateway/firewall/client_cache.h"
#include "gateway/firewall/connection_limiter.h"
#include "gateway/firewall/dnsbl_site.h"
#include "gateway/firewall/greylist.h"
#include "gateway/firewall/helo_check.h"
#include "gateway/smtp/server_session.h"

using namespace portcullis;
using namespace std::chrono_literals;
using firewall::ConnectionLimiter;

namespace {
core::IpAddress ip(const char* s) {
  return *core::IpAddress::parse(s);
}
}  // namespace

TEST_CASE("DNS list specs in postscreen syntax") {
  std::string why;
  auto zen = firewall::parseDnsblSite("zen.example=127.0.0.[2..11]*3", &why);
  REQUIRE(zen);
  CHECK(zen->zone == "zen.example");
  CHECK(zen->weight == 3);
  CHECK(zen->symbol == "RBL_ZEN_EXAMPLE");
  CHECK(zen->matches(ip("127.0.0.2")));
  CHECK(zen->matches(ip("127.0.0.11")));
  CHECK_FALSE(zen->matches(ip("127.0.0.1")));
  CHECK_FALSE(zen->matches(ip("127.0.0.12")));
  CHECK_FALSE(zen->matches(ip("127.0.1.2")));

  auto wl = firewall::parseDnsblSite("List.DNSWL.example.=127.0.[0..255].[1;3..5]*-2.5", &why);
  REQUIRE(wl);
  CHECK(wl->zone == "list.dnswl.example");
  CHECK(wl->weight == -2.5);
  CHECK(wl->symbol == "RWL_LIST_DNSWL_EXAMPLE");
  CHECK(wl->matches(ip("127.0.9.1")));
  CHECK(wl->matches(ip("127.0.9.4")));
  CHECK_FALSE(wl->matches(ip("127.0.9.2")));

  auto any = firewall::parseDnsblSite("bl.example", &why);
  REQUIRE(any);
  CHECK(any->weight == 1);
  CHECK(any->matches(ip("127.0.0.255")));
  CHECK_FALSE(any->matches(ip("::1")));

  for (const char* bad : {"", "=127.0.0.2", "bl.example=127.0.0", "bl.example=127.0.0.2.1",
                          "bl.example=127.0.0.[5..2]", "bl.example=127.0.0.256", "bl.example*x",
                          "bl.example*", "bl..example", "bl example", "bl.example=127.0.0.[2..]"}) {
    INFO(bad);
    why.clear();
    CHECK_FALSE(firewall::parseDnsblSite(bad, &why));
    CHECK_FALSE(why.empty());
  }
}

TEST_CASE("DNS list query names") {
  CHECK(firewall::dnsblQueryName(ip("192.0.2.99"), "zen.example") == "99.2.0.192.zen.example");
  CHECK(firewall::dnsblQueryName(ip("::ffff:192.0.2.99"), "zen.example") ==
        "99.2.0.192.zen.example");
  CHECK(firewall::dnsblQueryName(ip("2001:db8::1"), "zen.example") ==
        "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.zen.example");
  CHECK(firewall::subnetKey(ip("192.0.2.99"), 24, 64) == "192.0.2.0/24");
  CHECK(firewall::subnetKey(ip("2001:db8:1:2:3::9"), 24, 64) == "2001:db8:1:2::/64");
}

TEST_CASE("connection limits: concurrency per address and subnet, the global cap, exemptions") {
  ConnectionLimiter limiter;
  firewall::LimitSettings s;
  s.maxConnections = 5;
  s.maxConnectionsPerIp = 2;
  s.maxConnectionsPerSubnet = 3;
  limiter.configure(s);
  const auto t = std::chrono::steady_clock::now();
  auto a1 = limiter.admit(ip("192.0.2.1"), false, t);
  auto a2 = limiter.admit(ip("192.0.2.1"), false, t);
  auto a3 = limiter.admit(ip("192.0.2.1"), false, t);
  CHECK_FALSE(a1.refused);
  CHECK_FALSE(a2.refused);
  REQUIRE(a3.refused);
  CHECK(a3.refused->symbol == "FW_CONNECTIONS_PER_IP");
  CHECK_FALSE(a3.lease.held());
  auto b1 = limiter.admit(ip("192.0.2.2"), false, t);
  CHECK_FALSE(b1.refused);
  auto b2 = limiter.admit(ip("192.0.2.3"), false, t);
  REQUIRE(b2.refused);
  CHECK(b2.refused->symbol == "FW_CONNECTIONS_PER_SUBNET");
  CHECK(limiter.active() == 3);
  // Exempt (allowlisted) clients count only towards the global cap.
  auto e1 = limiter.admit(ip("192.0.2.1"), true, t);
  auto e2 = limiter.admit(ip("192.0.2.1"), true, t);
  CHECK_FALSE(e1.refused);
  CHECK_FALSE(e2.refused);
  auto full = limiter.admit(ip("198.51.100.1"), false, t);
  REQUIRE(full.refused);
  CHECK(full.refused->symbol == "FW_MAX_CONNECTIONS");
  // Closing gives slots back.
  a1 = {};
  e1 = {};
  CHECK(limiter.active() == 3);
  CHECK_FALSE(limiter.admit(ip("192.0.2.1"), false, t).refused);
}

TEST_CASE("connection rate per address over a sliding minute") {
  ConnectionLimiter limiter;
  firewall::LimitSettings s;
  s.ratePerIp = 3;
  s.ratePerSubnet = 5;
  limiter.configure(s);
  auto t = std::chrono::steady_clock::now();
  for (int i = 0; i < 3; ++i)
    CHECK_FALSE(limiter.admit(ip("192.0.2.1"), false, t + i * 1s).refused);
  auto r = limiter.admit(ip("192.0.2.1"), false, t + 5s);
  REQUIRE(r.refused);
  CHECK(r.refused->symbol == "FW_RATE_PER_IP");
  // Refused attempts count too: hammering keeps the client limited.
  CHECK(limiter.admit(ip("192.0.2.1"), false, t + 70s).refused);
  // Two idle minutes later the window has passed.
  CHECK_FALSE(limiter.admit(ip("192.0.2.1"), false, t + 200s).refused);
  // The subnet's rate counts its addresses together.
  auto u = t + 400s;
  for (int i = 0; i < 5; ++i) {
    std::string a = "203.0.113." + std::to_string(i + 1);
    CHECK_FALSE(limiter.admit(ip(a.c_str()), false, u).refused);
  }
  auto n = limiter.admit(ip("203.0.113.77"), false, u);
  REQUIRE(n.refused);
  CHECK(n.refused->symbol == "FW_RATE_PER_SUBNET");
}

TEST_CASE("connection limiter memory is bounded under a flood of distinct addresses") {
  ConnectionLimiter limiter;
  firewall::LimitSettings s;
  s.maxConnectionsPerIp = 1;
  s.maxTracked = 100;
  limiter.configure(s);
  auto t = std::chrono::steady_clock::now();
  for (int i = 0; i < 1000; ++i) {
    std::string a = "10." + std::to_string(i / 256) + "." + std::to_string(i % 256) + ".1";
    limiter.admit(ip(a.c_str()), false, t);
  }
  CHECK(limiter.tracked() <= 101);
  // Idle entries go once their window is over, making room again.
  limiter.admit(ip("192.0.2.1"), false, t + 10min);
  CHECK(limiter.tracked() <= 2);
}

TEST_CASE("client cache: pass, fail, expiry, capacity") {
  firewall::ClientCache cache(3);
  auto t = std::chrono::steady_clock::now();
  cache.pass("192.0.2.1", 60s, t);
  cache.fail("192.0.2.2", "FW_PREGREET", 30s, t);
  REQUIRE(cache.get("192.0.2.1", t + 10s));
  CHECK(cache.get("192.0.2.1", t + 10s)->passed);
  auto f = cache.get("192.0.2.2", t + 10s);
  REQUIRE(f);
  CHECK_FALSE(f->passed);
  CHECK(f->reason == "FW_PREGREET");
  // A session that passed does not wash out a live failure of the same address...
  cache.pass("192.0.2.2", 60s, t + 20s);
  CHECK_FALSE(cache.get("192.0.2.2", t + 20s)->passed);
  CHECK_FALSE(cache.get("192.0.2.2", t + 31s));
  // ...but replaces an expired one, and a failure replaces a pass.
  cache.pass("192.0.2.2", 60s, t + 31s);
  CHECK(cache.get("192.0.2.2", t + 32s)->passed);
  cache.fail("192.0.2.2", "FW_PIPELINING", 30s, t + 33s);
  CHECK_FALSE(cache.get("192.0.2.2", t + 34s)->passed);
  CHECK_FALSE(cache.get("192.0.2.2", t + 70s));
  cache.fail("192.0.2.3", "FW_DNSBL", 300s, t);
  cache.fail("192.0.2.4", "FW_DNSBL", 300s, t);
  cache.pass("192.0.2.5", 300s, t);  // full: a pass is dropped before any failure
  CHECK(cache.size() == 3);
  CHECK(cache.get("192.0.2.3", t));
  CHECK(cache.get("192.0.2.4", t));
  cache.pass("192.0.2.6", 0s, t);  // a zero TTL remembers nothing
  CHECK_FALSE(cache.get("192.0.2.6", t));
}

TEST_CASE("greylisting: triplets, retry window, auto-allowlist, sender normalisation") {
  firewall::Greylist g;
  firewall::GreylistSettings s;
  s.delay = 300s;
  s.retryWindow = 3600s;
  s.autoAllowlistAfter = 2;
  using R = firewall::Greylist::Result;
  auto t = std::chrono::system_clock::now();
  auto client = ip("192.0.2.10");
  auto first = g.check(s, client, "a@x.test", {"b@y.test"}, t);
  CHECK(first.result == R::Greylisted);
  CHECK(first.retryAfter == 300s);
  auto early = g.check(s, client, "a@x.test", {"b@y.test"}, t + 100s);
  CHECK(early.result == R::Greylisted);
  CHECK(early.retryAfter == 200s);
  // Another address of the same /24 is the same client (pools of outbound servers).
  CHECK(g.check(s, ip("192.0.2.77"), "A@X.test", {"B@y.test"}, t + 301s).result == R::Pass);
  CHECK(g.check(s, client, "a@x.test", {"b@y.test"}, t + 5000s).result == R::Pass);
  // A message to a known and a new recipient waits for the new one.
  CHECK(g.check(s, client, "a@x.test", {"b@y.test", "c@y.test"}, t + 5001s).result ==
        R::Greylisted);
  // Too late: a retry after the window starts over.
  auto other = ip("198.51.100.1");
  CHECK(g.check(s, other, "z@x.test", {"b@y.test"}, t).result == R::Greylisted);
  CHECK(g.check(s, other, "z@x.test", {"b@y.test"}, t + 4000s).result == R::Greylisted);
  // Two passed retries allowlist the subnet.
  CHECK(g.check(s, client, "n@x.test", {"b@y.test"}, t + 6000s).result == R::Greylisted);
  CHECK(g.check(s, client, "n@x.test", {"b@y.test"}, t + 6400s).result == R::Pass);
  CHECK(g.check(s, client, "new@x.test", {"new@y.test"}, t + 6401s).result == R::Allowlisted);

  CHECK(firewall::Greylist::normalizeSender("News+Tag@X.test") == "news@x.test");
  CHECK(firewall::Greylist::normalizeSender("prvs=1234abcd=bob@x.test") == "bob@x.test");
  CHECK(firewall::Greylist::normalizeSender("bounce-123-456@x.test") == "bounce-#-#@x.test");
  CHECK(firewall::Greylist::normalizeSender("") == "");
}

TEST_CASE("HELO forms") {
  using F = firewall::HeloForm;
  std::optional<core::IpAddress> lit;
  CHECK(firewall::classifyHelo("mail.example.com", &lit) == F::Domain);
  CHECK(firewall::classifyHelo("mail.example.com.", &lit) == F::Domain);
  CHECK(firewall::classifyHelo("WIN_PC.corp.example", &lit) == F::Domain);
  CHECK(firewall::classifyHelo("localhost", &lit) == F::NotFqdn);
  CHECK(firewall::classifyHelo("192.0.2.1", &lit) == F::BareAddress);
  CHECK(firewall::classifyHelo("[192.0.2.1]", &lit) == F::AddressLiteral);
  CHECK(lit == ip("192.0.2.1"));
  CHECK(firewall::classifyHelo("[IPv6:2001:db8::1]", &lit) == F::AddressLiteral);
  CHECK(lit == ip("2001:db8::1"));
  for (const char* bad : {"[999.1.1.1]", "-bad.example", "a..b", "bad!.example", "x.-y.example"}) {
    INFO(bad);
    CHECK(firewall::classifyHelo(bad, &lit) == F::Invalid);
  }
}

namespace {
// Drives a session the way the proxy does, accepting everything; returns the output.
struct Driven {
  smtp::ServerSession s;
  explicit Driven(smtp::SessionSettings st) : s((st.hostname = "gw.test", st), {}) {}
  std::string run(std::string_view bytes) {
    s.receive(bytes);
    while (true) {
      auto e = s.next();
      if (e == smtp::ServerSession::Event::NeedInput || e == smtp::ServerSession::Event::Close)
        return s.takeOutput();
      if (e == smtp::ServerSession::Event::Message)
        s.answer(core::makeReply(250, "2.0.0", "queued"));
      else if (e != smtp::ServerSession::Event::Reset)
        s.answer({});
    }
  }
};
}  // namespace

TEST_CASE("protocol tests: commands sent ahead without PIPELINING are dropped") {
  Driven d{smtp::SessionSettings{}};
  d.s.greet();
  d.s.takeOutput();
  // EHLO must end a group: a client that sends MAIL before reading the EHLO reply is a bot.
  CHECK(d.run("EHLO x.test\r\nMAIL FROM:<a@x.test>\r\n") ==
        "421 4.7.0 gw.test Error: SMTP protocol synchronization (command sent before the reply "
        "to the previous one); closing\r\n");
  CHECK(d.s.closed());
  auto v = d.s.takeViolations();
  REQUIRE(v.size() == 1);
  CHECK(smtp::violationSymbol(v[0].kind) == "FW_PIPELINING");
  CHECK(v[0].detail == "EHLO x.test");

  Driven helo{smtp::SessionSettings{}};
  helo.s.greet();
  helo.run("HELO x.test\r\n");
  CHECK(helo.run("MAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\n").starts_with("421 4.7.0"));

  // After EHLO, MAIL/RCPT/DATA in one group is what PIPELINING allows.
  Driven ok{smtp::SessionSettings{}};
  ok.s.greet();
  ok.run("EHLO x.test\r\n");
  CHECK(ok.run("MAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\n") ==
        "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n");
  CHECK(ok.run("hi\r\n.\r\nQUIT\r\n") == "250 2.0.0 queued\r\n221 2.0.0 Bye\r\n");
  CHECK(ok.s.takeViolations().empty());

  // Recorded but not dropped when the firewall's action is not "drop".
  smtp::SessionSettings lenient;
  lenient.dropOnPipelining = false;
  Driven soft{lenient};
  soft.s.greet();
  CHECK(soft.run("EHLO x.test\r\nNOOP\r\n").ends_with("250 2.0.0 Ok\r\n"));
  CHECK(soft.s.takeViolations().size() == 1);
}

TEST_CASE("protocol tests: HTTP and header lines, bare LF, unknown commands") {
  for (const char* probe :
       {"GET / HTTP/1.0\r\n", "post /x HTTP/1.1\r\n", "CONNECT a:25 HTTP/1.0\r\n",
        "Host: mx.example\r\n", "User-Agent: x\r\n"}) {
    INFO(probe);
    Driven d{smtp::SessionSettings{}};
    d.s.greet();
    d.s.takeOutput();
    CHECK(d.run(probe) == "421 4.7.0 gw.test Error: non-SMTP command; closing\r\n");
    auto v = d.s.takeViolations();
    REQUIRE(v.size() == 1);
    CHECK(v[0].kind == smtp::Violation::Kind::NonSmtp);
  }
  Driven mail{smtp::SessionSettings{}};
  mail.s.greet();
  mail.run("EHLO x.test\r\n");
  CHECK(mail.run("MAIL FROM:<a@x.test>\r\n") == "250 2.1.0 Ok\r\n");  // not a header line

  Driven lf{smtp::SessionSettings{}};
  lf.s.greet();
  lf.s.takeOutput();
  CHECK(lf.run("EHLO x.test\n") == "421 4.7.0 gw.test Error: bare <LF> received; closing\r\n");

  smtp::SessionSettings st;
  st.maxUnknownCommands = 2;
  Driven unk{st};
  unk.s.greet();
  unk.s.takeOutput();
  CHECK(unk.run("XYZZY\r\n") == "502 5.5.2 Error: command not recognized\r\n");
  CHECK(unk.run("PLUGH\r\n") ==
        "502 5.5.2 Error: command not recognized\r\n421 4.7.0 gw.test Error: too many unknown "
        "commands; closing\r\n");
  CHECK(unk.s.closed());
}

TEST_CASE("greeting delay: 220- first, then the banner or a refusal") {
  Driven ok{smtp::SessionSettings{}};
  ok.s.greetPartial();
  ok.s.greet();
  CHECK(ok.s.takeOutput() == "220-gw.test ESMTP Portcullis\r\n220 gw.test ready\r\n");

  // A refusal after 220- keeps the 220 and refuses every transaction instead.
  Driven refused{smtp::SessionSettings{}};
  refused.s.greetPartial();
  refused.s.greet(core::makeReply(554, "5.7.1", "blocked using zen.example"));
  CHECK(refused.s.takeOutput() == "220-gw.test ESMTP Portcullis\r\n220 gw.test ready\r\n");
  CHECK(refused.run("EHLO x.test\r\n").starts_with("250-gw.test"));
  CHECK(refused.run("MAIL FROM:<a@x.test>\r\n") == "554 5.7.1 blocked using zen.example\r\n");
  CHECK(refused.run("RCPT TO:<b@y.test>\r\n").starts_with("503"));

  Driven dropped{smtp::SessionSettings{}};
  dropped.s.greetPartial();
  dropped.s.greet(core::makeReply(421, "4.7.0", "gw.test go away"));
  CHECK(dropped.s.takeOutput() == "220-gw.test ESMTP Portcullis\r\n421 4.7.0 gw.test go away\r\n");
  CHECK(dropped.s.closed());

  // Without the delay, a tempfail still greets and then answers 450 to MAIL.
  Driven temp{smtp::SessionSettings{}};
  temp.s.greet(core::makeReply(450, "4.7.1", "try later"));
  CHECK(temp.s.takeOutput() == "220 gw.test ESMTP Portcullis\r\n");
  temp.run("EHLO x.test\r\n");
  CHECK(temp.run("MAIL FROM:<a@x.test>\r\n") == "450 4.7.1 try later\r\n");
}

TEST_CASE("domain lists: specs with sources, reply-code and bit mappings, errors named") {
  std::string why;
  auto dbl = checks::parseDomainList(
      "dbl.example@sender,url 127.0.1.2=DBL_SPAM*4 127.0.1.[5..6]=DBL_MALWARE*6", &why);
  INFO(why);
  REQUIRE(dbl);
  CHECK(dbl->zone == "dbl.example");
  CHECK(dbl->sources == (checks::kSender | checks::kUrl));
  REQUIRE(dbl->codes.size() == 2);
  auto ip = [](const char* s) { return *core::IpAddress::parse(s); };
  CHECK(dbl->matches(ip("127.0.1.2")) == std::vector<size_t>{0});
  CHECK(dbl->matches(ip("127.0.1.6")) == std::vector<size_t>{1});
  CHECK(dbl->matches(ip("127.0.1.3")).empty());  // a code nobody mapped is no listing
  CHECK(dbl->matches(ip("127.255.255.254")).empty());

  auto surbl =
      checks::parseDomainList("multi.surbl.example@url &8=SURBL_PH*5 &16=SURBL_MW*6", &why);
  REQUIRE(surbl);
  CHECK(surbl->matches(ip("127.0.0.24")) == std::vector<size_t>{0, 1});
  CHECK(surbl->matches(ip("127.0.0.2")).empty());

  auto any = checks::parseDomainList("RHSBL.Example.*2.5", &why);
  REQUIRE(any);
  CHECK(any->zone == "rhsbl.example");
  CHECK(any->sources == (checks::kSender | checks::kFrom | checks::kUrl));
  REQUIRE(any->codes.size() == 1);
  CHECK(any->codes[0].symbol == "RHSBL_RHSBL_EXAMPLE");
  CHECK(any->codes[0].score == 2.5);
  CHECK(any->matches(ip("127.0.0.2")).size() == 1);
  CHECK(any->matches(ip("127.255.255.255")).empty());

  for (auto [spec, error] : std::initializer_list<std::pair<const char*, const char*>>{
           {"", "empty"},
           {"nodot*2", "is not a DNS zone name"},
           {"dbl.example", "needs *SCORE or reply-code mappings"},
           {"dbl.example@mx 127.0.1.2=X*1", "unknown domain source 'mx'"},
           {"dbl.example 127.0.1.2=lower*1", "is not a symbol name"},
           {"dbl.example 127.0.1.2=DBL", "needs a score"},
           {"dbl.example 127.0.1=DBL*1", "bad reply filter"},
           {"dbl.example &0=DBL*1", "bad bit mask"},
           {"dbl.example*2 127.0.1.2=DBL*1", "for lists without reply-code mappings"},
           {"dbl.example 127.0.1.2=DBL*nan", "bad score"}}) {
    INFO(spec);
    CHECK_FALSE(checks::parseDomainList(spec, &why));
    CHECK(why.find(error) != std::string::npos);
  }
}
