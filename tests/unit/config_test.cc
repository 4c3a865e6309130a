// Config loading: defaults, file values, -o overrides, errors with file and line.
#include <catch2/catch.hpp>

#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "gateway/config/rule_sources.h"
#include "gateway/config/snapshot.h"
#include "gateway/config/system_config.h"

using namespace portcullis;

namespace {
// Each file in a directory of its own: under `ctest -j` every case is a process of its own, and
// two cases writing one fixed path (both used a.toml) read each other's config.
std::string writeTemp(const std::string& name, const std::string& text) {
  std::string dir = std::string(P_tmpdir) + "/portcullis-config-test-XXXXXX";
  REQUIRE(mkdtemp(dir.data()) != nullptr);
  std::string path = dir + "/" + name;
  std::ofstream(path) << text;
  return path;
}
}  // namespace

TEST_CASE("defaults work with no file at all") {
  auto r = config::load("", {});
  REQUIRE(r.config);
  CHECK(r.config->listen.at(0).str() == "127.0.0.1:2525");
  CHECK(r.config->downstream.kind == relay::DownstreamUrl::Kind::Maildir);
  CHECK(r.config->smtp.bareLineEndings == smtp::BareLineEndings::Reject);
  CHECK(!r.config->hostname.empty());
}

TEST_CASE("file values and overrides, lists appended by repeated -o") {
  auto path = writeTemp("a.toml",
                        "listen = \"127.0.0.1:2600\"\nhostname = \"gw.test\"\n"
                        "downstream = \"smtp://127.0.0.1:10025\"\n[smtp]\nmax_errors = 5\n"
                        "[policy.\"example.org\"]\nreject = 9.5\ndisable = [\"client_access\"]\n");
  auto r = config::load(path, {{"smtp.max_errors", "7"},
                               {"listen", "127.0.0.1:2601"},
                               {"listen", "[::1]:2602"},
                               {"relay_domains", "example.com"},
                               {"relay.tls", "require"}});
  INFO((r.errors.empty() ? "" : r.errors[0].str()));
  REQUIRE(r.config);
  CHECK(r.config->smtp.maxErrors == 7);
  REQUIRE(r.config->listen.size() == 2);
  CHECK(r.config->listen[1].str() == "[::1]:2602");
  CHECK(r.config->relayDomains == std::vector<std::string>{"example.com"});
  CHECK(r.config->downstream.str() == "smtp://127.0.0.1:10025");
  CHECK(r.config->relay.tls == relay::DownstreamTls::Require);
  CHECK(r.config->smtp.hostname == "gw.test");
  auto org = r.config->policies.forDomain("example.org");
  CHECK(org->name == "example.org");
  CHECK(*org->thresholds.reject == 9.5);
  CHECK_FALSE(org->runs("client_access"));
  CHECK(r.config->policies.forDomain("example.com")->name == "default");
}

TEST_CASE("errors name file and line - typos are not silently ignored") {
  auto path = writeTemp("b.toml",
                        "hostname = \"gw\"\nrelay_domain = [\"x\"]\n[smtp]\nmax_errors = \"many\"\n"
                        "bare_line_endings = \"sometimes\"\n[relay]\ntls = \"maybe\"\n"
                        "downstream = 1\n");
  auto r = config::load(path, {});
  CHECK_FALSE(r.config);
  std::vector<std::string> msgs;
  for (const auto& e : r.errors) msgs.push_back(e.str());
  auto has = [&](const std::string& s) {
    return std::any_of(msgs.begin(), msgs.end(),
                       [&](const auto& m) { return m.find(s) != std::string::npos; });
  };
  CHECK(has(path + ":2: unknown key 'relay_domain'"));
  CHECK(has(path + ":4: 'smtp.max_errors' must be an integer"));
  CHECK(has(path + ":5: smtp.bare_line_endings"));
  CHECK(has(path + ":7: relay.tls"));
  CHECK(has(path + ":8: unknown key 'relay.downstream'"));
}

TEST_CASE("slow-client deadlines from config - defaults, values and refused values") {
  auto d = config::load("", {});
  REQUIRE(d.config);
  CHECK(d.config->commandTimeout == std::chrono::seconds(300));
  CHECK(d.config->dataTimeout == std::chrono::seconds(1800));
  CHECK(d.config->minDataRate == 500u);
  auto r = config::load(
      "",
      {{"smtp.command_timeout", "2.5"}, {"smtp.data_timeout", "60"}, {"smtp.min_data_rate", "0"}});
  REQUIRE(r.config);
  CHECK(r.config->commandTimeout == std::chrono::milliseconds(2500));
  CHECK(r.config->dataTimeout == std::chrono::seconds(60));
  CHECK(r.config->minDataRate == 0u);
  auto path = writeTemp("slow.toml",
                        "[smtp]\ncommand_timeout = 0\ndata_timeout = -1\nmin_data_rate = 2.5\n");
  auto bad = config::load(path, {});
  CHECK_FALSE(bad.config);
  std::string all;
  for (const auto& e : bad.errors) all += e.str() + "\n";
  CHECK(all.find(path + ":2: 'smtp.command_timeout' must be a number of seconds") !=
        std::string::npos);
  CHECK(all.find(path + ":3: 'smtp.data_timeout' must be a number of seconds") !=
        std::string::npos);
  CHECK(all.find(path + ":4: 'smtp.min_data_rate' must be an integer") != std::string::npos);
  auto shorter = config::load("", {{"smtp.command_timeout", "60"}, {"smtp.data_timeout", "30"}});
  CHECK_FALSE(shorter.config);
  // Unset, the command deadline follows a shorter idle timeout, as Postfix's one smtpd_timeout
  // is both the read timeout and the request deadline: idle_timeout = 10 bounds a trickled
  // command line to 10 s, not 300.
  auto idle = config::load("", {{"smtp.idle_timeout", "10"}});
  REQUIRE(idle.config);
  CHECK(idle.config->commandTimeout == std::chrono::seconds(10));
  auto longIdle = config::load("", {{"smtp.idle_timeout", "900"}});
  REQUIRE(longIdle.config);
  CHECK(longIdle.config->commandTimeout == std::chrono::seconds(300));
}

TEST_CASE("TOML syntax errors and bad downstream URLs") {
  auto path = writeTemp("c.toml", "hostname = \"gw\"\nlisten = [\n");
  auto r = config::load(path, {});
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].file == path);
  CHECK(r.errors[0].line >= 2);
  auto u = config::load("", {{"downstream", "ftp://x"}});
  REQUIRE_FALSE(u.config);
  CHECK(u.errors[0].message.find("downstream 'ftp://x'") != std::string::npos);
  for (const char* good :
       {"smtp://[::1]:25", "lmtp://127.0.0.1:24", "lmtp:unix:/run/dovecot/lmtp", "maildir:/tmp/m"})
    CHECK(relay::DownstreamUrl::parse(good, nullptr));
  for (const char* bad : {"smtp://host", "smtp://host:0", "smtp://:25", "lmtp:unix:", "maildir:"})
    CHECK_FALSE(relay::DownstreamUrl::parse(bad, nullptr));
}

TEST_CASE("snapshot loads list files and reports their errors with line numbers") {
  auto list = writeTemp("list.cidr", "192.0.2.0/24 deny\nbogus allow\n");
  auto r = config::loadSnapshot("", {{"client_access.file", list}});
  REQUIRE_FALSE(r.snapshot);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].str() ==
        list + ":2: 'bogus' is not an IPv4/IPv6 address or network (host bits must be zero)");
  auto missing = config::loadSnapshot("", {{"client_access.file", "/nonexistent/list"}});
  REQUIRE_FALSE(missing.snapshot);
  CHECK(missing.errors[0].str() == "/nonexistent/list: cannot open list file");
  // SpamAssassin's stock rules (a minute to compile cold) are not what this case is about.
  auto empty = config::loadSnapshot("", {{"rules.spamassassin", "false"}});
  REQUIRE(empty.snapshot);
  CHECK(empty.warnings.at(0).find("relay_domains is empty") != std::string::npos);
}

TEST_CASE("mime limits and scores from config - unknown symbols are errors") {
  auto path = writeTemp(
      "m.toml", "[mime]\nmax_depth = 5\n[mime.scores]\nATTACHMENT_EXECUTABLE = 9.5\nNO_SUCH = 1\n");
  auto r = config::load(path, {});
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].str() == path + ":5: mime.scores: unknown symbol 'NO_SUCH'");
  auto ok =
      config::load("", {{"mime.max_depth", "5"}, {"mime.scores.ATTACHMENT_EXECUTABLE", "9.5"}});
  REQUIRE(ok.config);
  CHECK(ok.config->mime.limits.maxDepth == 5);
  CHECK(ok.config->mime.scores.at("ATTACHMENT_EXECUTABLE") == 9.5);
}

TEST_CASE("dns and auth from config - bad servers, actions and symbols are errors with lines") {
  auto path = writeTemp("a.toml",
                        "[dns]\nservers = [\"127.0.0.1:5353\", \"ns.example.com\"]\n"
                        "[auth]\ndns_temperror = \"reject\"\ndmarc_reject_action = \"drop\"\n"
                        "[auth.scores]\nSPF_FAIL = 3.5\nNO_SUCH = 1\n");
  auto r = config::load(path, {});
  REQUIRE(r.errors.size() == 4);
  CHECK(r.errors[0].str() == path +
                                 ":2: dns.servers: 'ns.example.com': not an IP address (a name "
                                 "server is given by address)");
  CHECK(r.errors[1].str() == path +
                                 ":5: auth.dmarc_reject_action must be one of \"reject\", "
                                 "\"quarantine\", \"tempfail\", \"none\"");
  CHECK(r.errors[2].str() == path +
                                 ":4: auth.dns_temperror must be one of \"neutral\", \"tempfail\" "
                                 "(a DNS error never rejects)");
  CHECK(r.errors[3].str() == path + ":8: auth.scores: unknown symbol 'NO_SUCH'");
  auto ok = config::load("", {{"dns.servers", "[::1]:53"},
                              {"auth.dmarc_reject_action", "quarantine"},
                              {"auth.dns_temperror", "tempfail"},
                              {"auth.scores.SPF_FAIL", "3.5"},
                              {"hostname", "mx.test"}});
  REQUIRE(ok.config);
  CHECK(ok.config->dns.servers == std::vector<std::string>{"[::1]:53"});
  CHECK(ok.config->auth.dmarcRejectAction == core::Action::Quarantine);
  CHECK(ok.config->auth.tempErrorAction == auth::TempErrorAction::Tempfail);
  CHECK(ok.config->auth.scores.at("SPF_FAIL") == 3.5);
  CHECK(ok.config->auth.authservId == "mx.test");  // defaults to the host name
}

TEST_CASE("firewall and greylist from config - the documented keys, errors with lines") {
  const std::string path =
      writeTemp("fw.toml",
                "[firewall]\npregreet_delay = -1\ndnsbl = [\"zen.example=127.0.0.[2..11]*3\", "
                "\"bad..zone\"]\npipelining_action = \"enforce\"\nmax_connections_per_ip = -2\n"
                "[firewall.scores]\nFW_PREGREET = 7\nNO_SUCH = 1\n[greylist]\nenabled = \"yes\"\n");
  auto r = config::load(path, {});
  REQUIRE(r.errors.size() == 6);
  CHECK(r.errors[0].str() == path +
                                 ":2: 'firewall.pregreet_delay' must be a number of seconds "
                                 "from 0 to 60");
  CHECK(r.errors[1].str() == path +
                                 ":3: firewall.dnsbl: 'bad..zone' does not start with a DNS "
                                 "zone name");
  CHECK(r.errors[2].str() ==
        path + ":5: 'firewall.max_connections_per_ip' must be an integer from 0 to 1000000");
  CHECK(r.errors[3].str() == path +
                                 ":4: firewall.pipelining_action must be one of \"ignore\", "
                                 "\"tempfail\", \"reject\", \"drop\"");
  CHECK(r.errors[4].str() == path + ":8: firewall.scores: unknown symbol 'NO_SUCH'");
  CHECK(r.errors[5].str() == path + ":10: 'greylist.enabled' must be true or false");

  // The keys scripts rely on, as -o overrides; repeating firewall.dnsbl appends.
  auto ok = config::load("", {{"firewall.pregreet_delay", "2.5"},
                              {"firewall.dnsbl", "zen.example=127.0.0.[2..11]*3"},
                              {"firewall.dnsbl", "wl.example*-2"},
                              {"firewall.dnsbl_threshold", "4"},
                              {"firewall.max_connections", "100"},
                              {"firewall.max_connections_per_ip", "5"},
                              {"firewall.rate_per_ip", "30"},
                              {"firewall.pipelining_action", "ignore"},
                              {"greylist.enabled", "true"}});
  REQUIRE(ok.config);
  const auto& f = ok.config->firewall;
  CHECK(f.pregreetDelay == std::chrono::milliseconds(2500));
  REQUIRE(f.dnsbl.size() == 2);
  CHECK(f.dnsbl[0].weight == 3);
  CHECK(f.dnsbl[1].weight == -2);
  CHECK(f.dnsblThreshold == 4);
  CHECK(f.limits.maxConnections == 100);
  CHECK(f.limits.maxConnectionsPerIp == 5);
  CHECK(f.limits.ratePerIp == 30);
  CHECK(f.score("FW_PREGREET") == 6.0);
  CHECK_FALSE(ok.config->smtp.dropOnPipelining);  // the action reaches the SMTP session
  CHECK(ok.config->smtp.dropOnNonSmtp);
  CHECK(ok.config->greylist.enabled);
}

TEST_CASE("store and reputation from config - store URLs and learning weights") {
  const std::string path =
      writeTemp("rep.toml",
                "store = \"redis://:pw@127.0.0.1:0\"\n[reputation]\nlearn_weight_spam = -1\n"
                "learn_weight_manual = 5\n");
  auto r = config::load(path, {});
  REQUIRE(r.errors.size() == 2);
  CHECK(
      r.errors[0].str().find(":1: store 'redis://:pw@127.0.0.1:0': the port must be 1 to 65535") !=
      std::string::npos);
  CHECK(r.errors[1].str() == path + ":3: reputation.learn_weight_spam must be 0 to 1000");

  auto ok = config::load("", {{"store", "redis://10.0.0.5:6380/2?timeout_ms=50"},
                              {"reputation.learn_weight_manual", "5"},
                              {"reputation.learn_weight_ham", "0.5"}});
  REQUIRE(ok.config);
  CHECK(ok.config->store == "redis://10.0.0.5:6380/2?timeout_ms=50");
  CHECK(ok.config->reputation.learnWeights.manual == 5);
  CHECK(ok.config->reputation.learnWeights.ham == 0.5);
  CHECK(ok.config->reputation.learnWeights.spam == 1);
}

TEST_CASE("log format from config") {
  auto ok = config::load("", {{"log_format", "json"}});
  REQUIRE(ok.config);
  CHECK(ok.config->logFormat == core::log::Format::Json);
  auto bad = config::load("", {{"log_format", "xml"}});
  REQUIRE(bad.errors.size() == 1);
  CHECK(bad.errors[0].str().find("log_format must be one of \"text\", \"json\"") !=
        std::string::npos);
}

namespace {
std::string makeDir(const std::string& path) {
  std::filesystem::create_directories(path);
  return path;
}
std::string tempDir() {
  std::string dir = std::string(P_tmpdir) + "/portcullis-rules-test-XXXXXX";
  REQUIRE(mkdtemp(dir.data()) != nullptr);
  return dir;
}
}  // namespace

TEST_CASE("rules defaults: SpamAssassin's set, then the built-in shipped set", "[config][rules]") {
  auto r = config::load("", {});
  REQUIRE(r.config);
  const auto& src = r.config->ruleSources;
  CHECK(src.paths == std::vector<std::string>{"builtin:shipped"});
  CHECK(src.spamassassin);
  CHECK(src.spamassassinSiteDir == "/etc/spamassassin");
  // Network tests on, as SpamAssassin's default; "auto" (-1) leaves the score set to the rule
  // loader, which picks 1 when a network eval runs (rules_test covers that).
  CHECK(r.config->rules.networkTests);
  CHECK(r.config->rules.scoreSet == -1);
  REQUIRE_FALSE(r.config->rules.paths.empty());
  CHECK(r.config->rules.paths.back() == "builtin:shipped");
  // Without SpamAssassin, the shipped set alone.
  auto off = config::load("", {{"rules.spamassassin", "false"}});
  REQUIRE(off.config);
  CHECK(off.config->rules.paths == std::vector<std::string>{"builtin:shipped"});
}

TEST_CASE("rules.network_tests and rules.score_set", "[config][rules]") {
  auto local = config::load("", {{"rules.network_tests", "false"}});
  REQUIRE(local.config);
  CHECK_FALSE(local.config->rules.networkTests);
  CHECK(local.config->rules.scoreSet == -1);
  auto forced = config::load("", {{"rules.network_tests", "false"}, {"rules.score_set", "3"}});
  REQUIRE(forced.config);
  CHECK(forced.config->rules.scoreSet == 3);
  auto autoSet = config::load("", {{"rules.score_set", "auto"}});
  REQUIRE(autoSet.config);
  CHECK(autoSet.config->rules.scoreSet == -1);
  auto path = writeTemp("s.toml", "[rules]\nscore_set = 4\nnetwork_tests = \"no\"\n");
  auto bad = config::load(path, {});
  REQUIRE_FALSE(bad.config);
  REQUIRE(bad.errors.size() == 2);
  CHECK(bad.errors[0].str() == path + ":3: 'rules.network_tests' must be true or false");
  CHECK(bad.errors[1].str() ==
        path + ":2: rules.score_set must be \"auto\" or an integer from 0 to 3");
}

TEST_CASE("rules.paths names built-in sets: an unknown one is an error with its line",
          "[config][rules]") {
  auto path = writeTemp("p.toml",
                        "[rules]\nspamassassin = false\n"
                        "paths = [\"builtin:shipped\", \"/etc/x.cf\"]\n");
  auto ok = config::load(path, {});
  REQUIRE(ok.config);
  CHECK(ok.config->rules.paths == std::vector<std::string>{"builtin:shipped", "/etc/x.cf"});
  auto badPath = writeTemp("b.toml", "[rules]\n\npaths = [\"builtin:nosuch\"]\n");
  auto bad = config::load(badPath, {});
  REQUIRE_FALSE(bad.config);
  REQUIRE(bad.errors.size() == 1);
  CHECK(bad.errors[0].str() == badPath +
                                   ":3: rules.paths: no built-in rule set 'builtin:nosuch' "
                                   "(there is builtin:shipped)");
}

TEST_CASE("the built-in shipped set loads and catches GTUBE", "[config][rules]") {
  content::RulesSettings settings;
  settings.paths = {"builtin:shipped"};
  auto loaded = content::loadRules(settings);
  REQUIRE(loaded.errors.empty());
  REQUIRE(loaded.rules);
  const auto* gtube = loaded.rules->find("GTUBE");
  REQUIRE(gtube);
  CHECK(gtube->file == "builtin:shipped/10_test_messages.cf");
  CHECK(gtube->score(0) == 1000);
}

TEST_CASE("sa-update's newest channel directory wins over the packaged rules", "[config][rules]") {
  const std::string state = tempDir(), fallback = makeDir(tempDir() + "/share");
  CHECK(config::spamAssassinRulesDir(state, fallback) == fallback);
  CHECK(config::spamAssassinRulesDir(state, "/nonexistent") == "");
  makeDir(state + "/3.004006/updates_spamassassin_org");
  makeDir(state + "/4.000001/updates_spamassassin_org");
  makeDir(state + "/9.000000");  // no channel in it: skipped
  makeDir(state + "/sa-update-keys");
  CHECK(config::spamAssassinRulesDir(state, fallback) ==
        state + "/4.000001/updates_spamassassin_org");
}

TEST_CASE("SpamAssassin's layering: site .pre, stock rules, site .cf: local.cf wins",
          "[config][rules]") {
  const std::string stock = makeDir(tempDir() + "/stock"), site = makeDir(tempDir() + "/site");
  std::ofstream(stock + "/50_scores.cf") << "body STOCK_RULE /stock words/\nscore STOCK_RULE 2.5\n";
  std::ofstream(stock + "/10_first.pre") << "loadplugin Mail::SpamAssassin::Plugin::Foo\n";
  std::ofstream(site + "/local.cf") << "score STOCK_RULE 0.25\n";
  std::ofstream(site + "/init.pre") << "loadplugin Mail::SpamAssassin::Plugin::Bar\n";
  auto r = config::load("", {{"rules.spamassassin_rules_dir", stock},
                             {"rules.spamassassin_site_dir", site},
                             {"rules.network_tests", "false"}});
  REQUIRE(r.config);
  CHECK(r.config->rules.paths ==
        std::vector<std::string>{site + "/init.pre", stock, site + "/local.cf", "builtin:shipped"});
  auto loaded = content::loadRules(r.config->rules);
  REQUIRE(loaded.errors.empty());
  const auto* rule = loaded.rules->find("STOCK_RULE");
  REQUIRE(rule);
  CHECK(rule->score(0) == 0.25);
  // No stock rules installed: none of SpamAssassin's files, not even the site's.
  auto none = config::load("", {{"rules.spamassassin_rules_dir", stock + "/missing"},
                                {"rules.spamassassin_site_dir", site}});
  REQUIRE(none.config);
  CHECK(none.config->rules.paths == std::vector<std::string>{"builtin:shipped"});
}

TEST_CASE("the system config: $PORTCULLIS_SYSTEM_CONFIG when it exists, else none",
          "[config][rules]") {
  const std::string file = writeTemp("system.toml", "");
  ::setenv("PORTCULLIS_SYSTEM_CONFIG", file.c_str(), 1);
  CHECK(config::systemConfigPath() == file);
  CHECK(config::effectiveConfigPath("") == file);
  CHECK(config::effectiveConfigPath("/given.toml") == "/given.toml");
  ::setenv("PORTCULLIS_SYSTEM_CONFIG", (file + ".absent").c_str(), 1);
  CHECK(config::effectiveConfigPath("") == "");
  ::unsetenv("PORTCULLIS_SYSTEM_CONFIG");
  CHECK(config::systemConfigPath() == "/etc/portcullis/portcullis.toml");
}
