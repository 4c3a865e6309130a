// The two foundation checks: client access list (CIDR) and relay domains.
#include <catch2/catch.hpp>

#include "gateway/checks/client_access_check.h"
#include "gateway/checks/relay_domains_check.h"
#include "gateway/smtp/command.h"

using namespace portcullis;
using checks::CidrTable;

TEST_CASE("CIDR ranges, IPv4 and IPv6, mapped addresses") {
  auto r = core::CidrRange::parse("192.0.2.0/24");
  REQUIRE(r);
  CHECK(r->contains(*core::IpAddress::parse("192.0.2.77")));
  CHECK_FALSE(r->contains(*core::IpAddress::parse("192.0.3.1")));
  CHECK(r->contains(*core::IpAddress::parse("::ffff:192.0.2.5")));
  auto v6 = core::CidrRange::parse("2001:db8::/32");
  REQUIRE(v6);
  CHECK(v6->contains(*core::IpAddress::parse("2001:db8:1::1")));
  CHECK_FALSE(v6->contains(*core::IpAddress::parse("2001:db9::1")));
  CHECK_FALSE(v6->contains(*core::IpAddress::parse("192.0.2.1")));
  CHECK(core::CidrRange::parse("0.0.0.0/0")->contains(*core::IpAddress::parse("8.8.8.8")));
  CHECK(core::CidrRange::parse("10.1.2.3/29") == std::nullopt);  // host bits set
  CHECK(core::CidrRange::parse("10.0.0.0/33") == std::nullopt);
  CHECK(core::CidrRange::parse("nonsense") == std::nullopt);
  CHECK(core::CidrRange::parse("10.0.0.0/") == std::nullopt);
}

TEST_CASE("list file: first match wins, every bad line reported with its line number") {
  auto ok = CidrTable::parse(
      "# comment\n\n192.0.2.7 allow\n192.0.2.0/24 deny Go away\n"
      "2001:db8::/32 tempfail\n",
      "access.cidr");
  REQUIRE(std::holds_alternative<CidrTable>(ok));
  const auto& t = std::get<CidrTable>(ok);
  CHECK(t.find(*core::IpAddress::parse("192.0.2.7"))->action == checks::AccessAction::Allow);
  auto* deny = t.find(*core::IpAddress::parse("192.0.2.8"));
  REQUIRE(deny);
  CHECK(deny->action == checks::AccessAction::Deny);
  CHECK(deny->text == "Go away");
  CHECK(deny->line == 4);
  CHECK(t.find(*core::IpAddress::parse("198.51.100.1")) == nullptr);

  auto bad =
      CidrTable::parse("192.0.2.0/24 deny\n300.1.1.1 deny\n10.0.0.0/8\n10.0.0.0/8 maybe\n", "f");
  REQUIRE(std::holds_alternative<std::vector<core::SourceError>>(bad));
  const auto& errs = std::get<std::vector<core::SourceError>>(bad);
  REQUIRE(errs.size() == 3);
  CHECK(errs[0].str().starts_with("f:2: "));
  CHECK(errs[1].str().starts_with("f:3: missing action"));
  CHECK(errs[2].str().starts_with("f:4: unknown action 'maybe'"));
}

TEST_CASE("client access check: deny forces a 554 at connect, allow scores") {
  auto parsed = CidrTable::parse("192.0.2.0/24 deny\n2001:db8::/32 allow\n", "list");
  auto table = std::make_shared<const CidrTable>(std::get<CidrTable>(parsed));
  checks::ClientAccessCheck check(table, {});
  core::Policy pol;
  core::SessionInfo s;
  s.clientIp = core::IpAddress::parse("192.0.2.9");
  core::StageOutcome out;
  bool done = false;
  check.run({s, nullptr, nullptr, pol}, out, [&] { done = true; });
  CHECK(done);
  REQUIRE(out.forced);
  CHECK(out.forced->reply.code == 554);
  CHECK(out.symbols.at(0).name == "CLIENT_DENYLISTED");

  s.clientIp = core::IpAddress::parse("2001:db8::25");
  core::StageOutcome out2;
  check.run({s, nullptr, nullptr, pol}, out2, [] {});
  CHECK_FALSE(out2.forced);
  CHECK(out2.symbols.at(0).name == "CLIENT_ALLOWLISTED");
  CHECK(out2.symbols.at(0).score < 0);
}

namespace {
std::optional<core::ForcedAction> relayDecision(const checks::RelayDomainsCheck& c,
                                                std::string rcptLine,
                                                core::FrontDoor door = core::FrontDoor::Smtp) {
  auto cmd = std::get<smtp::Command>(smtp::parseCommand("RCPT TO:" + rcptLine));
  core::Policy pol;
  core::SessionInfo s;
  s.frontDoor = door;
  core::StageOutcome out;
  c.run({s, nullptr, &cmd.address, pol}, out, [] {});
  return out.forced;
}
}  // namespace

TEST_CASE("relay domains: no open relay, no routing tricks") {
  checks::RelayDomainsCheck c(checks::RelayDomains({"example.com", ".example.net"}));
  CHECK_FALSE(relayDecision(c, "<bob@example.com>"));
  CHECK_FALSE(relayDecision(c, "<bob@EXAMPLE.COM>"));
  CHECK_FALSE(relayDecision(c, "<bob@example.com.>"));
  CHECK_FALSE(relayDecision(c, "<bob@mx.example.net>"));
  CHECK_FALSE(relayDecision(c, "<Postmaster>"));
  for (const char* evil : {"<bob@evil.test>", "<bob@example.net>", "<bob%evil.test@example.com>",
                           "<@example.com:bob@evil.test>", "<\"bob@evil.test\"@example.com>",
                           "<evil.test!bob@example.com>", "<bob@[192.0.2.1]>",
                           "<bob@example.com.evil.test>", "<bob@notexample.com>"}) {
    INFO(evil);
    auto d = relayDecision(c, evil);
    REQUIRE(d);
    CHECK(d->reply.code == 554);
    CHECK(d->reply.enhanced == "5.7.1");
    // Behind an MTA (the milter door) relaying is the MTA's decision.
    CHECK_FALSE(relayDecision(c, evil, core::FrontDoor::Milter));
  }
}

#include "gateway/checks/mime_structure_check.h"

namespace {
std::vector<core::Symbol> mimeSymbols(const std::string& message) {
  checks::MimeStructureCheck check({{}, checks::defaultMimeScores()});
  core::Policy pol;
  core::SessionInfo s;
  core::Transaction tx;
  tx.message = message;
  core::StageOutcome out;
  bool done = false;
  check.run({s, &tx, nullptr, pol}, out, [&] { done = true; });
  CHECK(done);
  return out.symbols;
}
bool has(const std::vector<core::Symbol>& v, const std::string& name) {
  return std::any_of(v.begin(), v.end(), [&](const auto& s) { return s.name == name; });
}
}  // namespace

TEST_CASE("mime_structure: a clean message adds nothing") {
  CHECK(mimeSymbols("Subject: hi\r\n\r\nhello\r\n").empty());
}

TEST_CASE("mime_structure: disguised executables and broken structure score") {
  auto syms = mimeSymbols(
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee "
      "attached\r\n"
      "--b\r\nContent-Type: application/pdf; "
      "name=\"invoice.pdf.exe\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
      "TVqQAAMAAAAEAAAA\r\n");
  CHECK(has(syms, "ATTACHMENT_EXECUTABLE"));
  CHECK(has(syms, "ATTACHMENT_DANGEROUS_NAME"));
  CHECK(has(syms, "ATTACHMENT_TYPE_MISMATCH"));
  CHECK(has(syms, "MIME_MISSING_END_BOUNDARY"));
  for (const auto& s : syms)
    if (s.name == "ATTACHMENT_TYPE_MISMATCH")
      CHECK(s.reason ==
            "invoice.pdf.exe declared application/pdf, content application/x-msdownload");
  // An honest PDF named .pdf is no finding.
  CHECK(mimeSymbols("Content-Type: application/pdf; name=a.pdf\r\nContent-Transfer-Encoding: "
                    "base64\r\n\r\nJVBERi0xLjcK\r\n")
            .empty());
}

#include "gateway/core/metrics.h"

TEST_CASE("metrics render in Prometheus's text format") {
  auto& r = core::metrics::Registry::instance();
  r.counter("portcullis_test_events_total", "Test events", {{"kind", "a\"b\\c\nd"}}).add(3);
  r.gauge("portcullis_test_level", "A level").set(-2);
  auto& h =
      r.histogram("portcullis_test_duration_seconds", "Durations", {{"stage", "data"}}, {0.1, 1});
  h.observe(0.05);
  h.observe(0.5);
  h.observe(5);
  const std::string out = r.render();
  CHECK(out.find("# HELP portcullis_test_events_total Test events\n"
                 "# TYPE portcullis_test_events_total counter\n"
                 "portcullis_test_events_total{kind=\"a\\\"b\\\\c\\nd\"} 3\n") !=
        std::string::npos);
  CHECK(out.find("# TYPE portcullis_test_level gauge\nportcullis_test_level -2\n") !=
        std::string::npos);
  CHECK(out.find("portcullis_test_duration_seconds_bucket{stage=\"data\",le=\"0.1\"} 1\n"
                 "portcullis_test_duration_seconds_bucket{stage=\"data\",le=\"1\"} 2\n"
                 "portcullis_test_duration_seconds_bucket{stage=\"data\",le=\"+Inf\"} 3\n"
                 "portcullis_test_duration_seconds_sum{stage=\"data\"} 5.55\n"
                 "portcullis_test_duration_seconds_count{stage=\"data\"} 3\n") !=
        std::string::npos);
  CHECK_THROWS(r.gauge("portcullis_test_events_total", "wrong type"));
}
