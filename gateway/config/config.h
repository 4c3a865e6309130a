// The gateway's configuration: one TOML file, defaults in code, `-o key=value` overrides.
// A Config is immutable once loaded; reload builds a new one.
#pragma once
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gateway/auth/auth_check.h"
#include "gateway/checks/client_access_check.h"
#include "gateway/checks/mime_structure_check.h"
#include "gateway/checks/reputation_check.h"
#include "gateway/config/rule_sources.h"
#include "gateway/content/content_rules_check.h"
#include "gateway/core/error.h"
#include "gateway/core/log.h"
#include "gateway/core/policy.h"
#include "gateway/dns/resolver.h"
#include "gateway/firewall/settings.h"
#include "gateway/relay/downstream_url.h"
#include "gateway/relay/relay_settings.h"
#include "gateway/smtp/server_session.h"

namespace portcullis::config {

struct ListenAddress {
  std::string host;
  uint16_t port = 0;
  std::string str() const;
};

// A milter listener: "inet:HOST:PORT" or "unix:/path" (Postfix's "local:" too).
struct MilterListen {
  bool unix = false;
  std::string path;    // unix
  ListenAddress inet;  // inet
  std::string str() const;
};
std::optional<MilterListen> parseMilterListen(const std::string& s, std::string* why);

struct MilterConfig {
  std::vector<MilterListen> listen;            // none: no milter server
  std::chrono::milliseconds timeout{300'000};  // for each packet, as Postfix's milter timeouts
  size_t maxPacket = 1 << 20;  // above Postfix's 64 KiB body chunks, below anything abusive
};

struct Config {
  std::string sourceFile;  // empty: built-in defaults
  std::vector<ListenAddress> listen{{"127.0.0.1", 2525}};
  std::string hostname;  // defaults to the machine's name
  relay::DownstreamUrl downstream{relay::DownstreamUrl::Kind::Maildir, "", 0, "", "./var/maildir"};
  std::vector<std::string> relayDomains;
  int workers = 2;
  core::log::Level logLevel = core::log::Level::Info;
  core::log::Format logFormat = core::log::Format::Text;  // "text" or "json" (JSON lines)

  smtp::SessionSettings smtp;  // hostname is filled from `hostname`
  std::chrono::milliseconds idleTimeout{300'000};
  // Deadlines however slowly the client trickles (each read re-arms only idleTimeout): a whole
  // command line, from its first byte, within commandTimeout; a whole DATA, 354 to the final
  // dot, within dataTimeout, and on the way at least minDataRate bytes/s in Postfix's sense
  // (smtpd_min_data_rate: each read buys bytes/rate seconds, never more than commandTimeout
  // ahead). 0 = no minimum rate.
  std::chrono::milliseconds commandTimeout{300'000};
  std::chrono::milliseconds dataTimeout{1'800'000};
  uint32_t minDataRate = 500;
  std::chrono::milliseconds shutdownTimeout{30'000};
  std::string tlsCertFile;
  std::string tlsKeyFile;

  relay::RelaySettings relay;

  std::string clientAccessFile;
  checks::ClientAccessSettings clientAccess;

  checks::MimeSettings mime{{}, checks::defaultMimeScores()};

  // [rules] as written: which files (rules.paths, rules.spamassassin*), and the score set
  // (nullopt: "auto", 1 with network tests, else 0).
  RuleSourceSettings ruleSources;
  std::optional<int> scoreSet;
  // What the rule set is loaded with: paths = ruleSourcePaths(ruleSources), the score set
  // resolved. No path at all: the content_rules check is not registered.
  content::RulesSettings rules{{}, -1, defaultRulesCacheDir(), true, {}, {}};

  // The one resolver every check uses. No servers: the system's (resolv.conf).
  dns::ResolverSettings dns;

  // SPF, DKIM, DMARC and Authentication-Results ([auth]); on by default.
  auth::AuthSettings auth;

  // The connection firewall ([firewall]) and greylisting ([greylist], off by default).
  firewall::FirewallSettings firewall;
  firewall::GreylistSettings greylist;

  // Where every feature that keeps state keeps it: "lmdb:DIR" (the embedded default),
  // "memory:" (nothing survives a restart).
  std::string store = "lmdb:./var/reputation";

  // Learned reputation ([reputation]): scored at the verdict stage, learned from verdicts.
  checks::ReputationSettings reputation;

  core::PolicyMap policies;

  // The milter front door ([milter]): the same checks for an MTA that calls us.
  MilterConfig milter;

  // The admin listener ([admin] listen): /metrics, /healthz, /readyz. None: off.
  std::optional<ListenAddress> adminListen;
  // The web console's password ([admin] console_password); empty: the console is off.
  std::string consolePassword;

  // Messages the verdict quarantines ([quarantine] dir): a maildir, see quarantine_store.h.
  std::string quarantineDir = "./var/quarantine";

  // Privileges: started as root, `run` binds its ports, reads its keys and opens its stores,
  // then becomes `user` (and `group`, default the user's own; supplementary groups cleared)
  // before serving. As root with no user it refuses to serve unless run_as_root is set.
  std::string user;
  std::string group;
  bool runAsRoot = false;
};

struct Override {
  std::string key;    // dotted TOML path
  std::string value;  // a TOML value, or a bare string
};

struct LoadResult {
  std::shared_ptr<const Config> config;
  std::vector<core::SourceError> errors;  // empty on success
};

// Loads `path` (or only defaults when empty) and applies overrides in order. An override of a
// list key given a scalar makes a one-element list; repeating it appends.
LoadResult load(const std::string& path, const std::vector<Override>& overrides);
// "key=value" from the command line.
std::optional<Override> parseOverride(const std::string& arg, std::string* why);

}  // namespace portcullis::config
