// check_rbl / check_rbl_txt / check_rbl_sub (DNSEval.pm): which addresses each set asks about,
// the names asked, and which answers hit.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "gateway/content/content_rules_check.h"
#include "gateway/content/evals/dns_evals.h"
#include "gateway/content/evals/rbl_addresses.h"
#include "gateway/mime/message.h"
#include "rules/engine/rule_file_parser.h"

using namespace portcullis;
using namespace portcullis::content;
using namespace portcullis::content::evals;

namespace {

relays::Relay relay(std::string ip, bool internal = false) {
  relays::Relay r;
  r.ip = ip;
  r.address = core::IpAddress::parse(ip);
  r.internal = internal;
  r.ipPrivate = isPrivateAddress(ip);
  return r;
}

struct Fixture {
  std::string raw =
      "From: a@example.com\r\nX-Originating-IP: [198.51.100.77]\r\nSubject: x\r\n\r\nbody\r\n";
  mime::Message message = mime::parseMessage(raw);
  SaMessageText text{raw, message};
  relays::RelayPath path;
  EvalSettings settings{{{"originating_ip_headers", "X-Originating-IP", "t.cf", 1}}};
  EvalContext ctx{raw, message, text, path, settings, {}};
  Fixture() {
    // Nearest first: our trusted MX, then the client that connected to it, then its source.
    path.trusted = {relay("10.0.0.5", true)};
    path.untrusted = {relay("203.0.113.9"), relay("192.168.1.20"), relay("198.51.100.3")};
  }
};

rules::Rule evalRule(std::string fn, std::vector<std::string> args, std::string tflags = "") {
  rules::Rule r;
  r.name = "T_RULE";
  r.eval.function = std::move(fn);
  r.eval.args = std::move(args);
  if (!tflags.empty()) r.tflags = {tflags};
  return r;
}

}  // namespace

TEST_CASE("check_rbl: the addresses each set suffix asks about", "[evals][dns]") {
  Fixture f;
  // Every untrusted public address and the originating one, farthest first.
  CHECK(rblAddresses(f.ctx, "zen", false) ==
        std::vector<std::string>{"198.51.100.77", "198.51.100.3", "203.0.113.9"});
  // The relay that handed the message to our trusted network, only.
  CHECK(rblAddresses(f.ctx, "zen-lastexternal", false) == std::vector<std::string>{"203.0.113.9"});
  CHECK(rblAddresses(f.ctx, "iadb-firsttrusted", false) == std::vector<std::string>{"203.0.113.9"});
  CHECK(rblAddresses(f.ctx, "x-untrusted", false) ==
        std::vector<std::string>{"198.51.100.3", "198.51.100.77"});
  // notfirsthop drops the originating hop when there is more than one.
  CHECK(rblAddresses(f.ctx, "pdl-notfirsthop", false) == std::vector<std::string>{"203.0.113.9"});
  // With only private untrusted relays and no originating header, nothing is asked.
  Fixture g;
  g.path.untrusted = {relay("192.168.1.1")};
  g.settings = EvalSettings{};
  CHECK(rblAddresses(g.ctx, "zen", false).empty());
}

TEST_CASE("check_rbl: lookups are the reversed address under the zone", "[evals][dns]") {
  Fixture f;
  std::vector<DnsLookup> lookups;
  checkRblPlanner()(f.ctx, evalRule("check_rbl", {"zen-lastexternal", "zen.spamhaus.org."}),
                    lookups);
  REQUIRE(lookups.size() == 1);
  CHECK(lookups[0].name == "9.113.0.203.zen.spamhaus.org");
  CHECK(lookups[0].zone == "zen.spamhaus.org");
  CHECK(lookups[0].set == "zen-lastexternal");
  CHECK(lookups[0].type == dns::Type::A);
}

TEST_CASE("check_rbl: answers, subtests and check_rbl_sub", "[evals][dns]") {
  Fixture f;
  const std::vector<std::string> rbl{"zen-lastexternal", "zen.spamhaus.org."};
  // No lookups made (network tests off): nothing hits.
  CHECK(checkRbl(f.ctx, rbl) == 0);
  DnsResults results;
  results.results.push_back(
      {{"zen-lastexternal", "zen.spamhaus.org", "9.113.0.203.zen.spamhaus.org", dns::Type::A},
       dns::Status::Ok,
       {"127.0.0.4", "192.0.2.1"}});
  f.ctx.setDns(&results);
  CHECK(checkRbl(f.ctx, rbl) == 1);
  CHECK(checkRbl(f.ctx, {"zen-lastexternal", "zen.spamhaus.org", "127.0.0.4"}) == 1);
  CHECK(checkRbl(f.ctx, {"zen-lastexternal", "zen.spamhaus.org", "127.0.0.2"}) == 0);
  CHECK(checkRbl(f.ctx, {"other", "zen.spamhaus.org"}) == 0);
  CHECK(checkRblSub(f.ctx, {"zen-lastexternal", "127.0.0.4"}) == 1);
  CHECK(checkRblSub(f.ctx, {"zen-lastexternal", "^127\\.0\\.0\\.[45]$"}) == 1);
  CHECK(checkRblSub(f.ctx, {"zen-lastexternal", "^127\\.0\\.0\\.[23]$"}) == 0);
  CHECK(checkRblSub(f.ctx, {"zen-lastexternal", "4"}) == 1);  // bit mask over 127.0.0.4
  CHECK(checkRblSub(f.ctx, {"zen-lastexternal", "8"}) == 0);
  // An A answer outside 127/8 never counts (192.0.2.1 above), even for a regex.
  CHECK(checkRblSub(f.ctx, {"zen-lastexternal", "^192\\."}) == 0);
}

TEST_CASE("check_rbl: private and mapped addresses as SpamAssassin's IP_PRIVATE", "[evals][dns]") {
  for (const char* ip : {"10.1.2.3", "127.0.0.1", "169.254.1.1", "172.16.0.1", "172.31.255.1",
                         "192.168.0.1", "100.64.0.1", "::1", "fe80::1", "::ffff:10.0.0.1"})
    CHECK(isPrivateAddress(ip));
  for (const char* ip : {"172.32.0.1", "100.128.0.1", "8.8.8.8", "2001:db8::1", "junk"})
    CHECK_FALSE(isPrivateAddress(ip));
}

TEST_CASE("score set auto: 1 when a network eval runs, else 0", "[evals][dns]") {
  auto dir = std::filesystem::temp_directory_path() / "portcullis-scoreset-test";
  std::filesystem::create_directories(dir);
  {
    std::ofstream f(dir / "rbl.cf");
    f << "header T_RBL eval:check_rbl('zen', 'zen.example.')\nscore T_RBL 1 2 3 4\n";
  }
  content::RulesSettings s;
  s.paths = {(dir / "rbl.cf").string()};
  s.networkTests = true;
  auto on = content::loadRules(s);
  REQUIRE(on.rules);
  CHECK(on.rules->scoreSet() == 1);
  s.networkTests = false;
  auto off = content::loadRules(s);
  REQUIRE(off.rules);
  CHECK(off.rules->scoreSet() == 0);
  s.scoreSet = 3;
  CHECK(content::loadRules(s).rules->scoreSet() == 3);
  std::filesystem::remove_all(dir);
}
