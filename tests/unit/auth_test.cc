// DNS wire parsing, SPF record syntax and rewrites, DMARC record and domain rules, and the
// Authentication-Results header.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <set>

#include "gateway/auth/auth_results.h"
#include "gateway/auth/dkim.h"
#include "gateway/auth/dmarc.h"
#include "gateway/auth/from_address.h"
#include "gateway/auth/spf_record.h"
#include "gateway/dns/message.h"
#include "gateway/mime/headers.h"

using namespace portcullis;

namespace {
// A response with a compressed CNAME chain: www -> host -> 192.0.2.1, TXT in two strings.
std::string wire(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s += static_cast<char>(b);
  return s;
}
const std::string kHeader = wire({0x12, 0x34, 0x81, 0x80, 0, 1, 0, 3, 0, 0, 0, 0});
const std::string kQuestion =
    wire({3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1});
}  // namespace

TEST_CASE("DNS responses: compression, CNAME chains, TXT strings joined") {
  std::string msg = kHeader + kQuestion;
  // www.example.com CNAME host.example.com (owner = pointer to 12)
  msg += wire({0xC0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 7, 4, 'h', 'o', 's', 't', 0xC0, 16});
  const int hostOffset = static_cast<int>(kHeader.size() + kQuestion.size() + 12);
  msg += wire({0xC0, hostOffset, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4, 192, 0, 2, 1});
  msg += wire({0xC0, hostOffset, 0, 16, 0, 1, 0, 0, 0, 30, 0, 6, 2, 'a', 'b', 2, 'c', 'd'});
  std::string why;
  auto r = dns::parseResponse(msg, &why);
  REQUIRE(r);
  REQUIRE(r->answers.size() == 3);
  CHECK(r->answers[0].data == "host.example.com");
  auto chain = dns::followChain(r->answers, "www.example.com", dns::Type::A);
  REQUIRE(chain.records.size() == 1);
  CHECK(chain.records[0].data == "192.0.2.1");
  CHECK(chain.cnames == std::vector<std::string>{"host.example.com"});
  auto txt = dns::followChain(r->answers, "www.example.com", dns::Type::TXT);
  REQUIRE(txt.records.size() == 1);
  CHECK(txt.records[0].data == "abcd");  // RFC 7208 3.3: no separator between strings
}

TEST_CASE("DNS responses: malformed input is refused with a reason") {
  std::string why;
  CHECK_FALSE(dns::parseResponse("\x12\x34", &why));
  CHECK(why.find("header") != std::string::npos);
  // An answer whose owner name points at itself (a compression loop).
  std::string loop =
      kHeader + kQuestion + wire({0xC0, 33, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4});
  CHECK_FALSE(dns::parseResponse(loop, &why));
  // A truncated rdata length.
  std::string shortRd = kHeader + kQuestion + wire({0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 1, 0, 9, 1, 2});
  CHECK_FALSE(dns::parseResponse(shortRd, &why));
}

TEST_CASE("DNS responses: a name no query could carry is skipped, not followed") {
  // www.example.com CNAME "h\xE9.example.com" (a raw non-ASCII byte), and an A record owned by
  // "a\\b.example.com": normalizeName refuses both names, so the resolver could never ask for
  // them (found by fuzz_dns's invariant). Only www's own A record is read.
  std::string msg = kHeader + kQuestion;
  msg += wire({0xC0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 5, 2, 'h', 0xE9, 0xC0, 16});
  msg += wire({3, 'a', '\\', 'b', 0xC0, 16, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4, 192, 0, 2, 1});
  msg += wire({0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4, 192, 0, 2, 2});
  std::string why;
  auto r = dns::parseResponse(msg, &why);
  REQUIRE(r);
  REQUIRE(r->answers.size() == 1);
  CHECK(r->answers[0].owner == "www.example.com");
  CHECK(r->answers[0].data == "192.0.2.2");
}

TEST_CASE("DNS names are normalised or refused before any query") {
  CHECK(dns::normalizeName("Example.COM.") == "example.com");
  CHECK_FALSE(dns::normalizeName(""));
  CHECK_FALSE(dns::normalizeName("a..b"));
  CHECK_FALSE(dns::normalizeName(std::string(64, 'a') + ".com"));
  CHECK_FALSE(dns::normalizeName("bad\nname.com"));
}

TEST_CASE("SPF records: RFC 7208 syntax, stricter than libspf2") {
  CHECK_FALSE(auth::spfSyntaxError("v=spf1 ip4:192.0.2.0/24 include:_spf.example.com -all"));
  CHECK_FALSE(auth::spfSyntaxError(
      "v=spf1 a:%{d}.example.com/24//64 mx ptr exists:%{i}.bl.example.org ~all"));
  CHECK(auth::spfSyntaxError(
      "v=spf1 a:foo.example.com redirect=a.example.com redirect=b.example.com"));
  CHECK(auth::spfSyntaxError("v=spf1 exists:"));
  CHECK(auth::spfSyntaxError("v=spf1 a:example.123"));    // numeric top label
  CHECK(auth::spfSyntaxError("v=spf1 ip4:1.2.3.4/032"));  // leading zero
  CHECK(auth::spfSyntaxError("v=spf1 ip4:01.2.3.4"));
  CHECK(auth::spfSyntaxError("v=spf1 foo:bar.example.com"));  // unknown mechanism
  CHECK(auth::spfSyntaxError("v=spf1 a:\xEF\xBB\xBFx.example.com"));
  CHECK(auth::spfSyntaxError("v=spf1 a:%{c}.example.com"));  // c is for exp= text only
  CHECK_FALSE(auth::spfSyntaxError("v=spf1 moo.cow-far_out=man:dog/cat -all"));
}

TEST_CASE("SPF records are rewritten into forms libspf2 evaluates as the RFC says") {
  CHECK(auth::rewriteForLibspf2("v=spf1 -ip4:1.2.3.4/0", true) ==
        "v=spf1 -ip4:0.0.0.0/1 -ip4:128.0.0.0/1");
  CHECK(auth::rewriteForLibspf2("v=spf1 a/0 -all", true) == "v=spf1 exists:%{d} -all");
  CHECK(auth::rewriteForLibspf2("v=spf1 a:x.example.com//0 -all", true) ==
        "v=spf1 a:x.example.com -all");
  CHECK(auth::rewriteForLibspf2("v=spf1 a/0 -all", false) == "v=spf1 a -all");
  CHECK(auth::rewriteForLibspf2("v=spf1 moo=cow redirect=x.example.com ~all", true) ==
        "v=spf1 ~all");
  CHECK(auth::rewriteForLibspf2("v=spf1 redirect=x.example.com", true) ==
        "v=spf1 redirect=x.example.com");
}

TEST_CASE("DMARC records, organisational domains and From domains") {
  std::string why;
  auto r =
      auth::parseDmarcRecord("v=DMARC1; p=quarantine; sp=reject; np=none; pct=25; adkim=s", &why);
  REQUIRE(r);
  CHECK(r->p == 'q');
  CHECK(r->sp == 'r');
  CHECK(r->np == 'n');
  CHECK(r->pct == 25);
  CHECK(r->strictDkim);
  CHECK_FALSE(r->strictSpf);
  CHECK_FALSE(auth::parseDmarcRecord("v=DMARC1; sp=quarantine", &why));  // no p=
  CHECK_FALSE(auth::parseDmarcRecord("v=spf1 -all", &why));
  CHECK(auth::organizationalDomain("mail.example.co.uk") == "example.co.uk");
  CHECK(auth::organizationalDomain("a.b.example.com") == "example.com");
  CHECK(auth::fromDomains({"\"Test, User\" <test@Example.COM>"}) ==
        std::vector<std::string>{"example.com"});
  CHECK(auth::fromDomains({"a@one.test, b@two.test"}) ==
        std::vector<std::string>{"one.test", "two.test"});
  CHECK(auth::fromDomains({"undisclosed-recipients:;"}).empty());
}

TEST_CASE("DMARC evaluation: alignment, sp=, pct= sampling") {
  auth::DmarcDns d;
  d.atFrom.status = dns::Status::NxDomain;
  d.atOrg = dns::Answer{
      dns::Status::Ok,
      {{"_dmarc.example.com", dns::Type::TXT, 60, "v=DMARC1; p=none; sp=reject; pct=50", 0}},
      {},
      "",
      false};
  auth::SpfOutcome spf{auth::SpfResult::Pass, "bounce.example.com", "mailfrom", "", 1, 0};
  auto o = auth::evaluateDmarc("news.example.com", d, spf, {}, [] { return 0; });
  CHECK(o.result == "pass");  // relaxed: bounce.example.com aligns with news.example.com
  spf.result = auth::SpfResult::Fail;
  o = auth::evaluateDmarc("news.example.com", d, spf, {}, [] { return 0; });
  CHECK(o.result == "fail");
  CHECK(o.orgRecord);
  CHECK(o.disposition == 'r');  // sp= for a subdomain, sampled in
  o = auth::evaluateDmarc("news.example.com", d, spf, {}, [] { return 99; });
  CHECK(o.sampledOut);
  CHECK(o.disposition == 'q');  // sampled out: the next milder policy
  auth::DmarcDns temp;
  temp.atFrom.status = dns::Status::Timeout;
  CHECK(auth::evaluateDmarc("example.com", temp, spf, {}, [] { return 0; }).result == "temperror");
}

TEST_CASE("Authentication-Results: our value, and forged ones removed") {
  std::string v = auth::authResultsValue(
      "gw.test",
      {{"spf", "pass", "", {{"smtp.mailfrom", "example.com"}}},
       {"dkim",
        "pass",
        "",
        {{"header.d", "example.com"}, {"header.i", "@example.com"}, {"header.b", "ab/+="}}}});
  CHECK(v ==
        "gw.test; spf=pass smtp.mailfrom=example.com; dkim=pass header.d=example.com "
        "header.i=@example.com "
        "header.b=\"ab/+=\"");
  CHECK(auth::authResultsValue("gw.test", {}) == "gw.test; none");
  CHECK(auth::authservIdOf(" (comment) GW.test 1; spf=pass") == "gw.test");
  // Found by fuzz_auth_text: an unterminated comment ending in a backslash ran past the end.
  CHECK(auth::authservIdOf("(\x9b\xd6\xd7\\") == "");
  CHECK(auth::authservIdOf("(a \\) still comment) id.test;") == "id.test");
  std::string msg =
      "Received: x\r\nAuthentication-Results: gw.test;\r\n dmarc=pass\r\nAuthentication-Results: "
      "other.test; "
      "spf=pass\r\nSubject: s\r\n\r\nAuthentication-Results: gw.test; in the body\r\n";
  CHECK(auth::removeClaimedAuthResults(msg, "GW.TEST") == 1);
  CHECK(msg ==
        "Received: x\r\nAuthentication-Results: other.test; spf=pass\r\nSubject: s\r\n\r\n"
        "Authentication-Results: gw.test; in the body\r\n");
}

TEST_CASE("Forged Authentication-Results are removed in every spelling of our authserv-id") {
  // RFC 8601 2.2: the authserv-id is a value (token or quoted-string) compared as a domain
  // name: case-insensitively, a trailing dot naming the same host, comments anywhere.
  const char* claimed[] = {
      "gw.test; dmarc=pass",
      "\"gw.test\"; dmarc=pass",
      "\"GW.test.\" (quoted, dot); dmarc=pass",
      "gw.test.; dmarc=pass",
      "Gw.TeSt;dmarc=pass",
      "(c1) (c2 (nested)) gw.test (c3) 1; dmarc=pass",
      "=?utf-8?q?gw.test?=; dmarc=pass",
      "=?UTF-8?B?Z3cudGVzdA==?=; dmarc=pass",
      "\"gw\\.test\"; dmarc=pass",
      "gw.test\r\n ; dmarc=pass",
      "\xc2\xa0gw.test\xc2\xa0; dmarc=pass",
      "\"\xa0gw.test \"; dmarc=pass",
  };
  for (const char* v : claimed) {
    INFO(v);
    CHECK(auth::claimsAuthservId(v, "gw.test"));
    std::string msg = std::string("Authentication-Results: ") + v + "\r\nSubject: s\r\n\r\nb\r\n";
    CHECK(auth::removeClaimedAuthResults(msg, "gw.test") == 1);
    CHECK(msg == "Subject: s\r\n\r\nb\r\n");
  }
  CHECK(auth::claimsAuthservId("gw.test; dmarc=pass", "GW.TEST."));
  const char* others[] = {"gw.test.evil; dmarc=pass",
                          "other.test; dmarc=pass",
                          "\"gw.test other\"; dmarc=pass",
                          "evil-gw.test; dmarc=pass",
                          "",
                          ";"};
  for (const char* v : others) {
    INFO(v);
    CHECK_FALSE(auth::claimsAuthservId(v, "gw.test"));
    std::string msg = std::string("Authentication-Results: ") + v + "\r\n\r\n";
    CHECK(auth::removeClaimedAuthResults(msg, "gw.test") == 0);
  }
  // A field name that is Authentication-Results followed by anything but blanks and the colon
  // is nobody's honest field, and some reader may take it for one: removed whatever it claims.
  const char* mangled[] = {"Authentication-Results\xc2\xa0: other.test; dmarc=pass",
                           "Authentication-Results\xa0: gw.test; dmarc=pass",
                           "Authentication-Results-X: other.test; dmarc=pass",
                           "Authentication-Results.: gw.test; dmarc=pass",
                           "AUTHENTICATION-RESULTS gw.test; dmarc=pass"};
  for (const char* f : mangled) {
    INFO(f);
    CHECK(auth::isMangledAuthResultsName(
        std::string_view(f).substr(0, std::string_view(f).find(':'))));
    std::string msg = std::string("To: a@b\r\n") + f + "\r\nSubject: s\r\n\r\nb\r\n";
    CHECK(auth::removeClaimedAuthResults(msg, "gw.test") == 1);
    CHECK(msg == "To: a@b\r\nSubject: s\r\n\r\nb\r\n");
  }
  // Blanks before the colon are the obsolete syntax (RFC 5322 4.5.8), not a mangled name.
  CHECK_FALSE(auth::isMangledAuthResultsName("Authentication-Results \t"));
  CHECK_FALSE(auth::isMangledAuthResultsName("ARC-Authentication-Results"));
  std::string spaced =
      "Authentication-Results \t: gw.test; dmarc=pass\r\n"
      "Authentication-Results : other.test; dmarc=pass\r\n\r\n";
  CHECK(auth::removeClaimedAuthResults(spaced, "gw.test") == 1);
  CHECK(spaced == "Authentication-Results : other.test; dmarc=pass\r\n\r\n");
}

TEST_CASE("Authentication-Results are read back: ours, RFC 8601's examples, and junk") {
  std::vector<auth::AuthResultEntry> ours = {
      {"spf", "pass", "", {{"smtp.mailfrom", "a@example.com"}}},
      {"dkim", "pass", "2048-bit key", {{"header.d", "example.com"}, {"header.b", "ab/+="}}},
      {"dmarc", "pass", "", {{"header.from", "example.com"}}}};
  auto back = auth::parseAuthResults(auth::authResultsValue("gw.test", ours));
  CHECK(back.authservId == "gw.test");
  REQUIRE(back.entries.size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    CHECK(back.entries[i].method == ours[i].method);
    CHECK(back.entries[i].result == ours[i].result);
    CHECK(back.entries[i].properties == ours[i].properties);
  }
  CHECK(back.entries[1].comment == "2048-bit key");
  // RFC 8601 appendix B.6-style: version, comments everywhere, reason=, folded.
  auto rfc = auth::parseAuthResults(
      "example.com 1;\r\n dkim=pass (good signature) header.d=mail-router.example.net;\r\n"
      " spf=fail reason=\"bad ; list\" smtp.mailfrom=\"x@example.org\"; sender-id=pass/1 "
      "header.from=example.com; none");
  CHECK(rfc.authservId == "example.com");
  REQUIRE(rfc.entries.size() == 3);
  CHECK(rfc.entries[0].comment == "good signature");
  CHECK(rfc.entries[1].result == "fail");
  CHECK(rfc.entries[1].properties ==
        std::vector<std::pair<std::string, std::string>>{{"smtp.mailfrom", "x@example.org"}});
  CHECK(rfc.entries[2].method == "sender-id");
  // What cannot be read is skipped, never guessed.
  CHECK(auth::parseAuthResults("").authservId.empty());
  CHECK(auth::parseAuthResults("gw.test; =pass; spf; dkim=").entries.empty());
  CHECK(auth::parseAuthResults("gw.test; spf=pass ((( smtp.mailfrom=x").entries.size() == 1);
}

TEST_CASE("DKIM key names come from every signature's s= and d=") {
  auth::DkimVerifier v(auth::DkimSettings{});
  std::string msg =
      "DKIM-Signature: v=1; a=rsa-sha256; d=Example.com;\r\n s=sel1; h=from; bh=x; b=y\r\n"
      "DKIM-Signature: v=1; a=ed25519-sha256; d=example.org; s=ed; h=from; bh=x; b=y\r\n"
      "From: a@example.com\r\n\r\nbody\r\n";
  CHECK(v.keyNames(mime::parseHeaderSection(msg).fields) ==
        std::vector<std::string>{"sel1._domainkey.example.com", "ed._domainkey.example.org"});
  CHECK(auth::parseTagList("v=1; a = rsa-sha256 ;b=ab\r\n cd")->at("b") == "abcd");
  CHECK_FALSE(auth::parseTagList("v=1; v=2"));
}

namespace {
auth::FromReading readFromText(std::string_view header) {
  return auth::readFrom(mime::parseHeaderSection(std::string(header) + "\r\n\r\nbody"));
}
using Domains = std::vector<std::string>;
}  // namespace

TEST_CASE("From readers: one plain address is not ambiguous") {
  for (const char* v : {"Alice <alice@Example.TEST>", "alice@example.test",
                        "\"Smith, Alice\" <alice@example.test>", "alice@example.test (Alice)",
                        "=?utf-8?q?J=C3=B6rg?= <alice@example.test>",
                        "\"bob@other.test\" <alice@example.test>", "(bob@other.test) alice@example.test",
                        "Team: alice@example.test;"}) {
    INFO(v);
    auto r = readFromText(std::string("From: ") + v);
    CHECK(r.domains == Domains{"example.test"});
    CHECK_FALSE(r.ambiguous);
  }
  CHECK(readFromText("From: undisclosed-recipients:;").domains.empty());
  // Several addresses of one domain: multiple, not ambiguous.
  auto r = readFromText("From: <a@provider.test>, <b@provider.test>");
  CHECK(r.addresses.size() == 2);
  CHECK_FALSE(r.ambiguous);
}

// The espoofer header cases (tests/integration/test_header_from.py has the table).
TEST_CASE("From readers: the espoofer ambiguity classes give every domain a reader could show") {
  struct Case {
    const char* id;
    const char* header;
    Domains domains;  // displayed first
  };
  const std::vector<Case> cases = {
      {"server_a8", "From: <first@attack.test>\r\nFrom: <admin@legitimate.test>",
       {"attack.test", "legitimate.test"}},
      {"server_a9", " From: <first@attack.test>\r\nFrom: <admin@legitimate.test>",
       {"attack.test", "legitimate.test"}},
      {"server_a10", "From: <first@attack.test>\r\nFrom : <admin@legitimate.test>",
       {"attack.test", "legitimate.test"}},
      {"server_a11", "From\r\n : <first@attack.test>\r\nFrom: <admin@legitimate.test>",
       {"attack.test", "legitimate.test"}},
      {"server_a12", "From\r\n : <first@attack.test>\r\nn\r\nSender: <admin@legitimate.test>",
       {"attack.test", "legitimate.test"}},
      {"server_a13", "From\r\n : <first@attack.test>\r\nn\r\nResent-From: <admin@legitimate.test>",
       {"attack.test", "legitimate.test"}},
      {"server_a14", "From: <first@attack.test>, <admin@legitimate.test>",
       {"attack.test", "legitimate.test"}},
      // base64 of "<admin@legitimate.test>"
      {"server_a15", "From:=?utf-8?b?PGFkbWluQGxlZ2l0aW1hdGUudGVzdD4=?=,<second@attack.test>",
       {"attack.test", "legitimate.test"}},
      {"server_a16", "From: <@attack.test,@any.test:admin@legitimate.test>",
       {"legitimate.test", "attack.test", "any.test"}},
      {"server_a17", "From: <admin@legitimate.test>\\,<second@attack.test>",
       {"attack.test", "legitimate.test"}},
      {"server_a18", "From: admin@legitimate.test,<second@attack.test>",
       {"legitimate.test", "attack.test"}},
      {"server_a19", "From: <any@attack.test>admin@legitimate.test",
       {"attack.test", "legitimate.test"}},
  };
  for (const auto& c : cases) {
    INFO(c.id);
    auto r = readFromText(c.header);
    auto sorted = [](Domains d) {
      std::sort(d.begin(), d.end());
      return d;
    };
    CHECK(sorted(r.domains) == sorted(c.domains));
    CHECK(r.ambiguous);
    CHECK_FALSE(r.why.empty());
  }
  // A NUL: C code reads up to it, lenient code drops it.
  std::string nul = "From: <admin@legitimate.test";
  nul += '\0';
  nul += ".attack.test>";
  auto r = readFromText(nul);
  CHECK(std::find(r.domains.begin(), r.domains.end(), "legitimate.test") != r.domains.end());
  CHECK(r.ambiguous);
  // An encoded word that is the whole address, and a From written only in obsolete form with
  // a Sender of another domain.
  r = readFromText("From: =?utf-8?b?PGFkbWluQGxlZ2l0aW1hdGUudGVzdD4=?=");
  CHECK(r.domains == Domains{"legitimate.test"});
  CHECK(r.ambiguous);
  r = readFromText("From\r\n : <admin@legitimate.test>");
  CHECK(r.domains == Domains{"legitimate.test"});
  CHECK_FALSE(r.ambiguous);  // one domain: DMARC evaluates it as usual
  r = readFromText("X Mailer: 1\r\nFrom: <admin@legitimate.test>");
  CHECK(r.domains == Domains{"legitimate.test"});
  CHECK_FALSE(r.ambiguous);
  // No From at all: a client shows Sender.
  r = readFromText("Sender: <admin@legitimate.test>");
  CHECK(r.domains == Domains{"legitimate.test"});
  CHECK(r.fallback);
  CHECK(r.ambiguous);
}

TEST_CASE("From readers: the first displayed domain agrees with OpenDMARC's test_finddomain") {
  std::ifstream in(std::string(PORTCULLIS_SOURCE_DIR) + "/tests/data/opendmarc_finddomain.tsv");
  REQUIRE(in);
  // Deliberate differences: none. A row that starts to differ fails here.
  const std::set<std::string> deviations = {};
  std::string line;
  int rows = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto tab = line.find('\t');
    REQUIRE(tab != std::string::npos);
    std::string value;
    for (size_t i = 0; i < tab; ++i) {
      if (line[i] == '\\' && i + 1 < tab && line[i + 1] == '"') continue;  // C escape
      value += line[i];
    }
    const std::string expected = line.substr(tab + 1);
    auto r = auth::readMailboxList(value);
    INFO(value);
    REQUIRE_FALSE(r.domains.empty());
    CHECK((r.domains.front() == expected) != deviations.contains(value));
    ++rows;
  }
  CHECK(rows == 13);
}

TEST_CASE("DMARC with an ambiguous From: an aligned domain with a policy still fails") {
  auth::DmarcDns d;
  d.atFrom = dns::Answer{
      dns::Status::Ok, {{"_dmarc.example.com", dns::Type::TXT, 60, "v=DMARC1; p=reject", 0}}, {}, "",
      false};
  auth::SpfOutcome spf{auth::SpfResult::Pass, "example.com", "mailfrom", "", 1, 0};
  auto o = auth::evaluateDmarc("example.com", d, spf, {}, [] { return 0; });
  CHECK(o.result == "pass");
  o = auth::evaluateDmarc("example.com", d, spf, {}, [] { return 0; }, true);
  CHECK(o.result == "fail");
  CHECK(o.disposition == 'r');
  CHECK(o.spfAligned);
  // No record: stays none.
  d.atFrom = dns::Answer{dns::Status::NxDomain, {}, {}, "", false};
  o = auth::evaluateDmarc("example.com", d, spf, {}, [] { return 0; }, true);
  CHECK(o.result == "none");
}
