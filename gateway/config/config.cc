#include "gateway/config/config.h"

#include "reputation/store.h"
#include "rules/builtin/builtin_rules.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <toml++/toml.h>
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>
#include <cstdlib>
#include <filesystem>
#include <set>

namespace portcullis::config {

namespace {

using core::SourceError;

std::string ListenHostPort(const std::string& host, uint16_t port) {
  return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
         std::to_string(port);
}

// Walks the TOML tree, converting values and collecting every error with its line.
class Reader {
 public:
  Reader(std::string file, std::vector<SourceError>& errors)
      : file_(std::move(file)), errors_(errors) {}

  void error(const toml::node* n, std::string msg) {
    int line = n ? static_cast<int>(n->source().begin.line) : 0;
    std::string file = file_;
    if (n && n->source().path && !n->source().path->empty()) file = *n->source().path;
    errors_.push_back({file, line, std::move(msg)});
  }

  // Reports keys of `t` not in `known`, so a typo never silently falls back to a default.
  void checkKeys(const toml::table& t, std::string_view where, std::set<std::string_view> known) {
    for (const auto& [k, v] : t)
      if (!known.contains(k.str()))
        error(&v, "unknown key '" + std::string(where) + std::string(k.str()) + "'");
  }

  void str(const toml::table& t, std::string_view key, std::string& out,
           std::string_view where = "") {
    if (const toml::node* n = t.get(key)) {
      if (auto v = n->value<std::string>())
        out = *v;
      else
        error(n, "'" + std::string(where) + std::string(key) + "' must be a string");
    }
  }
  void boolean(const toml::table& t, std::string_view key, bool& out, std::string_view where = "") {
    if (const toml::node* n = t.get(key)) {
      if (auto v = n->value_exact<bool>())
        out = *v;
      else
        error(n, "'" + std::string(where) + std::string(key) + "' must be true or false");
    }
  }
  template <typename Int>
  void integer(const toml::table& t, std::string_view key, Int& out, int64_t min, int64_t max,
               std::string_view where = "") {
    if (const toml::node* n = t.get(key)) {
      auto v = n->value_exact<int64_t>();
      if (!v || *v < min || *v > max)
        error(n, "'" + std::string(where) + std::string(key) + "' must be an integer from " +
                     std::to_string(min) + " to " + std::to_string(max));
      else
        out = static_cast<Int>(*v);
    }
  }
  void number(const toml::table& t, std::string_view key, double& out,
              std::string_view where = "") {
    if (const toml::node* n = t.get(key)) {
      if (auto v = n->value<double>())
        out = *v;
      else
        error(n, "'" + std::string(where) + std::string(key) + "' must be a number");
    }
  }
  void optNumber(const toml::table& t, std::string_view key, std::optional<double>& out,
                 std::string_view where = "") {
    if (t.get(key)) {
      double v = 0;
      number(t, key, v, where);
      out = v;
    }
  }
  void seconds(const toml::table& t, std::string_view key, std::chrono::milliseconds& out,
               std::string_view where = "") {
    if (const toml::node* n = t.get(key)) {
      auto v = n->value<double>();
      if (!v || *v <= 0 || *v > 86400)
        error(n, "'" + std::string(where) + std::string(key) +
                     "' must be a number of seconds (0 < s <= 86400)");
      else
        out = std::chrono::milliseconds(static_cast<int64_t>(*v * 1000));
    }
  }
  // Seconds (fractions allowed) from `min` to `max`, both inclusive.
  template <typename Duration>
  void duration(const toml::table& t, std::string_view key, Duration& out, double min, double max,
                std::string_view where = "") {
    if (const toml::node* n = t.get(key)) {
      auto v = n->value<double>();
      if (!v || *v < min || *v > max) {
        char range[64];
        std::snprintf(range, sizeof range, "%g to %g", min, max);
        error(n, "'" + std::string(where) + std::string(key) +
                     "' must be a number of seconds from " + range);
      } else {
        out = std::chrono::duration_cast<Duration>(std::chrono::duration<double>(*v));
      }
    }
  }
  std::vector<std::string> strings(const toml::table& t, std::string_view key,
                                   std::string_view where = "") {
    std::vector<std::string> out;
    const toml::node* n = t.get(key);
    if (!n) return out;
    if (auto s = n->value<std::string>()) return {*s};
    if (const toml::array* a = n->as_array()) {
      for (const auto& e : *a) {
        if (auto s = e.value<std::string>())
          out.push_back(*s);
        else
          error(&e, "'" + std::string(where) + std::string(key) + "' must be a list of strings");
      }
      return out;
    }
    error(n,
          "'" + std::string(where) + std::string(key) + "' must be a string or a list of strings");
    return out;
  }

  // `where`scores: a table of SYMBOL = score over the symbols `known` already lists.
  void scores(const toml::table& t, std::map<std::string, double>& known, std::string_view where) {
    const toml::node* n = t.get("scores");
    if (!n) return;
    const std::string name = std::string(where) + "scores";
    const toml::table* table = n->as_table();
    if (!table) return error(n, name + " must be a table of SYMBOL = score");
    for (const auto& [sym, v] : *table) {
      const std::string key(sym.str());
      if (!known.contains(key))
        error(&v, name + ": unknown symbol '" + key + "'");
      else if (auto d = v.value<double>())
        known[key] = *d;
      else
        error(&v, name + "." + key + " must be a number");
    }
  }

  // A string key that must be one of `options`; the error lists them.
  template <typename T>
  void choice(const toml::table& t, std::string_view key, T& out,
              std::initializer_list<std::pair<std::string_view, T>> options,
              std::string_view where = "", std::string_view note = "") {
    const toml::node* n = t.get(key);
    if (!n) return;
    std::string v;
    str(t, key, v, where);
    std::string names;
    for (const auto& [name, value] : options) {
      if (name == v) return void(out = value);
      names += (names.empty() ? "\"" : ", \"") + std::string(name) + "\"";
    }
    error(n,
          std::string(where) + std::string(key) + " must be one of " + names + std::string(note));
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::vector<SourceError>& errors_;
};

void readThresholds(Reader& r, const toml::table& t, core::Thresholds& th, std::string_view where) {
  r.optNumber(t, "reject", th.reject, where);
  r.optNumber(t, "discard", th.discard, where);
  r.optNumber(t, "tempfail", th.tempfail, where);
  r.optNumber(t, "quarantine", th.quarantine, where);
  r.optNumber(t, "add_headers", th.addHeaders, where);
}

const std::set<std::string_view> kCheckNames = {
    "client_access",  "dnsbl",         "reverse_dns", "helo",       "relay_domains",
    "mime_structure", "content_rules", "auth",        "reputation", "domain_lists"};

std::optional<ListenAddress> parseListen(const std::string& s, std::string* why) {
  ListenAddress a;
  size_t colon;
  if (!s.empty() && s.front() == '[') {
    auto close = s.find(']');
    if (close == std::string::npos || close + 1 >= s.size() || s[close + 1] != ':')
      return *why = "expected [ipv6]:port", std::nullopt;
    a.host = s.substr(1, close - 1);
    colon = close + 1;
  } else {
    colon = s.rfind(':');
    if (colon == std::string::npos) return *why = "expected address:port", std::nullopt;
    a.host = s.substr(0, colon);
  }
  unsigned port = 0;
  const char* b = s.data() + colon + 1;
  auto [p, ec] = std::from_chars(b, s.data() + s.size(), port);
  if (ec != std::errc() || p != s.data() + s.size() || port > 65535)
    return *why = "bad port in '" + s + "'", std::nullopt;
  a.port = static_cast<uint16_t>(port);
  if (!core::IpAddress::parse(a.host) && a.host != "localhost")
    return *why = "'" + a.host + "' is not an IP address", std::nullopt;
  return a;
}

}  // namespace

std::string MilterListen::str() const {
  return unix ? "unix:" + path : "inet:" + inet.str();
}

std::optional<MilterListen> parseMilterListen(const std::string& s, std::string* why) {
  MilterListen m;
  if (s.starts_with("unix:") || s.starts_with("local:")) {
    m.unix = true;
    m.path = s.substr(s.find(':') + 1);
    if (m.path.empty() || m.path.front() != '/')
      return *why = "'" + s + "': a UNIX socket needs an absolute path", std::nullopt;
    if (m.path.size() > 100)
      return *why = "'" + s + "': the socket path is longer than 100 bytes", std::nullopt;
    return m;
  }
  if (s.starts_with("inet:")) {
    auto a = parseListen(s.substr(5), why);
    if (!a) return *why = "'" + s + "': " + *why, std::nullopt;
    m.inet = *a;
    return m;
  }
  return *why = "'" + s + "' is neither inet:HOST:PORT nor unix:/path", std::nullopt;
}

namespace {

// [rules]: which files (see rule_sources.h), network tests and the score set.
void readRuleSources(Reader& r, const toml::table& t, Config& c) {
  const char* w = "rules.";
  auto& src = c.ruleSources;
  if (t.get("paths")) {
    src.paths = r.strings(t, "paths", w);
    for (const auto& p : src.paths) {
      if (!p.starts_with(rules::kBuiltinPrefix) ||
          rules::builtinRuleSet(p.substr(rules::kBuiltinPrefix.size())))
        continue;
      std::string known;
      for (const auto& name : rules::builtinRuleSetNames())
        known += (known.empty() ? "" : ", ") + std::string(rules::kBuiltinPrefix) + name;
      r.error(t.get("paths"),
              "rules.paths: no built-in rule set '" + p + "' (there is " + known + ")");
    }
  }
  r.boolean(t, "spamassassin", src.spamassassin, w);
  r.str(t, "spamassassin_rules_dir", src.spamassassinRulesDir, w);
  r.str(t, "spamassassin_site_dir", src.spamassassinSiteDir, w);
  r.boolean(t, "network_tests", c.rules.networkTests, w);
  if (const toml::node* n = t.get("score_set")) {
    if (n->value<std::string>() == "auto")
      c.scoreSet.reset();
    else if (auto v = n->value_exact<int64_t>(); v && *v >= 0 && *v <= 3)
      c.scoreSet = static_cast<int>(*v);
    else
      r.error(n, "rules.score_set must be \"auto\" or an integer from 0 to 3");
  }
}

void interpret(Reader& r, const toml::table& root, Config& c) {
  r.checkKeys(root, "", {"listen",     "hostname",   "downstream", "relay_domains", "workers",
                         "log_level",  "log_format", "smtp",       "relay",         "client_access",
                         "mime",       "rules",      "dns",        "auth",          "firewall",
                         "greylist",   "store",      "reputation", "verdict",       "policy",
                         "milter",     "admin",      "quarantine", "user",          "group",
                         "run_as_root"});
  r.str(root, "user", c.user);
  r.str(root, "group", c.group);
  if (!c.user.empty() && !::getpwnam(c.user.c_str()))
    r.error(root.get("user"), "user '" + c.user + "': no such user");
  if (!c.group.empty() && !::getgrnam(c.group.c_str()))
    r.error(root.get("group"), "group '" + c.group + "': no such group");
  r.boolean(root, "run_as_root", c.runAsRoot);
  if (const toml::node* n = root.get("store")) {
    r.str(root, "store", c.store);
    std::string why;
    if (!reputation::validStoreUrl(c.store, &why)) r.error(n, "store " + why);
  }
  if (root.get("listen")) {
    c.listen.clear();
    for (const auto& s : r.strings(root, "listen")) {
      std::string why;
      if (auto a = parseListen(s, &why))
        c.listen.push_back(*a);
      else
        r.error(root.get("listen"), "listen: " + why);
    }
  }
  r.str(root, "hostname", c.hostname);
  if (const toml::node* n = root.get("downstream")) {
    std::string url, why;
    r.str(root, "downstream", url);
    if (auto u = relay::DownstreamUrl::parse(url, &why))
      c.downstream = *u;
    else
      r.error(n, "downstream '" + url + "': " + why);
  }
  c.relayDomains = r.strings(root, "relay_domains");
  r.integer(root, "workers", c.workers, 1, 64);
  if (const toml::node* n = root.get("log_level")) {
    std::string lvl;
    r.str(root, "log_level", lvl);
    static const std::map<std::string, core::log::Level> levels = {
        {"debug", core::log::Level::Debug},
        {"info", core::log::Level::Info},
        {"warning", core::log::Level::Warn},
        {"error", core::log::Level::Error}};
    if (auto it = levels.find(lvl); it != levels.end())
      c.logLevel = it->second;
    else
      r.error(n, "log_level must be debug, info, warning or error");
  }
  r.choice(root, "log_format", c.logFormat,
           {{"text", core::log::Format::Text}, {"json", core::log::Format::Json}});

  if (const toml::table* t = root["smtp"].as_table()) {
    const char* w = "smtp.";
    r.checkKeys(
        *t, w,
        {"max_line_length", "max_message_size", "max_recipients", "max_errors", "idle_timeout",
         "bare_line_endings", "starttls", "tls_cert", "tls_key", "shutdown_timeout",
         "long_header_lines", "command_timeout", "data_timeout", "min_data_rate"});
    r.integer(*t, "max_line_length", c.smtp.maxLineLength, 512, 1 << 20, w);
    r.integer(*t, "max_message_size", c.smtp.maxMessageSize, 1024, int64_t(1) << 40, w);
    r.integer(*t, "max_recipients", c.smtp.maxRecipients, 1, 100000, w);
    r.integer(*t, "max_errors", c.smtp.maxErrors, 1, 1000, w);
    r.seconds(*t, "idle_timeout", c.idleTimeout, w);
    r.seconds(*t, "shutdown_timeout", c.shutdownTimeout, w);
    // Unset: the idle timeout, at most the default (Postfix's smtpd_timeout is both).
    if (!t->get("command_timeout")) c.commandTimeout = std::min(c.idleTimeout, c.commandTimeout);
    r.seconds(*t, "command_timeout", c.commandTimeout, w);
    r.seconds(*t, "data_timeout", c.dataTimeout, w);
    r.integer(*t, "min_data_rate", c.minDataRate, 0, 1 << 30, w);
    if (c.dataTimeout < c.commandTimeout)
      r.error(t,
              "smtp.data_timeout must be at least smtp.command_timeout (a message is longer "
              "than a command line)");
    if (const toml::node* n = t->get("bare_line_endings")) {
      std::string v;
      r.str(*t, "bare_line_endings", v, w);
      if (v == "reject")
        c.smtp.bareLineEndings = smtp::BareLineEndings::Reject;
      else if (v == "normalize")
        c.smtp.bareLineEndings = smtp::BareLineEndings::Normalize;
      else
        r.error(n, "smtp.bare_line_endings must be \"reject\" or \"normalize\"");
    }
    r.choice(*t, "long_header_lines", c.smtp.longHeaderLines,
             {{"reject", smtp::LongHeaderLines::Reject}, {"fold", smtp::LongHeaderLines::Fold}}, w);
    r.boolean(*t, "starttls", c.smtp.offerStartTls, w);
    r.str(*t, "tls_cert", c.tlsCertFile, w);
    r.str(*t, "tls_key", c.tlsKeyFile, w);
    if (c.tlsCertFile.empty() != c.tlsKeyFile.empty())
      r.error(t, "smtp.tls_cert and smtp.tls_key go together");
  } else if (root.get("smtp")) {
    r.error(root.get("smtp"), "'smtp' must be a table");
  }

  if (const toml::table* t = root["relay"].as_table()) {
    const char* w = "relay.";
    r.checkKeys(
        *t, w,
        {"connect_timeout", "command_timeout", "data_timeout", "tls", "tls_verify", "tls_ca_file",
         "tls_name", "xclient", "xforward", "helo_name", "lmtp_max_recipients"});
    r.seconds(*t, "connect_timeout", c.relay.connectTimeout, w);
    r.seconds(*t, "command_timeout", c.relay.commandTimeout, w);
    r.seconds(*t, "data_timeout", c.relay.dataTimeout, w);
    if (const toml::node* n = t->get("tls")) {
      std::string v;
      r.str(*t, "tls", v, w);
      if (v == "off")
        c.relay.tls = relay::DownstreamTls::Off;
      else if (v == "opportunistic")
        c.relay.tls = relay::DownstreamTls::Opportunistic;
      else if (v == "require")
        c.relay.tls = relay::DownstreamTls::Require;
      else
        r.error(n, "relay.tls must be \"off\", \"opportunistic\" or \"require\"");
    }
    r.boolean(*t, "tls_verify", c.relay.tlsVerify, w);
    r.str(*t, "tls_ca_file", c.relay.tlsCaFile, w);
    r.str(*t, "tls_name", c.relay.tlsName, w);
    r.boolean(*t, "xclient", c.relay.xclient, w);
    r.boolean(*t, "xforward", c.relay.xforward, w);
    r.str(*t, "helo_name", c.relay.heloName, w);
    r.integer(*t, "lmtp_max_recipients", c.relay.lmtpMaxRecipients, 1, 100000, w);
  }

  if (const toml::table* t = root["client_access"].as_table()) {
    const char* w = "client_access.";
    r.checkKeys(*t, w, {"file", "allow_score", "deny_score"});
    r.str(*t, "file", c.clientAccessFile, w);
    r.number(*t, "allow_score", c.clientAccess.allowScore, w);
    r.number(*t, "deny_score", c.clientAccess.denyScore, w);
  }

  if (const toml::table* t = root["rules"].as_table()) {
    const char* w = "rules.";
    r.checkKeys(*t, w,
                {"paths", "score_set", "cache_dir", "network_tests", "spamassassin",
                 "spamassassin_rules_dir", "spamassassin_site_dir", "trusted_networks",
                 "internal_networks"});
    readRuleSources(r, *t, c);
    r.str(*t, "cache_dir", c.rules.cacheDir, w);
    if (t->get("trusted_networks"))
      c.rules.trustedNetworks = r.strings(*t, "trusted_networks", w);
    if (t->get("internal_networks"))
      c.rules.internalNetworks = r.strings(*t, "internal_networks", w);
  } else if (root.get("rules")) {
    r.error(root.get("rules"), "'rules' must be a table");
  }

  if (const toml::table* t = root["dns"].as_table()) {
    const char* w = "dns.";
    r.checkKeys(*t, w,
                {"servers", "timeout", "attempts", "cache_entries", "max_ttl", "max_negative_ttl"});
    if (t->get("servers")) {
      c.dns.servers = r.strings(*t, "servers", w);
      for (const auto& s : c.dns.servers) {
        std::string why;
        if (!dns::validServer(s, &why)) r.error(t->get("servers"), "dns.servers: " + why);
      }
    }
    r.seconds(*t, "timeout", c.dns.timeout, w);
    r.integer(*t, "attempts", c.dns.attempts, 1, 10, w);
    r.integer(*t, "cache_entries", c.dns.cacheEntries, 0, 100'000'000, w);
    int64_t maxTtl = c.dns.maxTtl.count(), maxNeg = c.dns.maxNegativeTtl.count();
    r.integer(*t, "max_ttl", maxTtl, 0, 7 * 86400, w);
    r.integer(*t, "max_negative_ttl", maxNeg, 0, 86400, w);
    c.dns.maxTtl = std::chrono::seconds(maxTtl);
    c.dns.maxNegativeTtl = std::chrono::seconds(maxNeg);
  } else if (root.get("dns")) {
    r.error(root.get("dns"), "'dns' must be a table");
  }

  if (const toml::table* t = root["auth"].as_table()) {
    const char* w = "auth.";
    r.checkKeys(
        *t, w,
        {"enabled", "authserv_id", "spf", "dkim", "dmarc", "dmarc_reject_action",
         "dmarc_quarantine_action", "dns_temperror", "dkim_min_key_bits", "spf_workers", "scores"});
    r.boolean(*t, "enabled", c.auth.enabled, w);
    r.str(*t, "authserv_id", c.auth.authservId, w);
    r.boolean(*t, "spf", c.auth.spf, w);
    r.boolean(*t, "dkim", c.auth.dkim, w);
    r.boolean(*t, "dmarc", c.auth.dmarc, w);
    using core::Action;
    const std::initializer_list<std::pair<std::string_view, Action>> actions = {
        {"reject", Action::Reject},
        {"quarantine", Action::Quarantine},
        {"tempfail", Action::Tempfail},
        {"none", Action::Accept}};
    r.choice(*t, "dmarc_reject_action", c.auth.dmarcRejectAction, actions, w);
    r.choice(*t, "dmarc_quarantine_action", c.auth.dmarcQuarantineAction, actions, w);
    r.choice(*t, "dns_temperror", c.auth.tempErrorAction,
             {{"neutral", auth::TempErrorAction::Neutral},
              {"tempfail", auth::TempErrorAction::Tempfail}},
             w, " (a DNS error never rejects)");
    r.integer(*t, "dkim_min_key_bits", c.auth.dkimSettings.minKeyBits, 512, 16384, w);
    r.integer(*t, "spf_workers", c.auth.spfWorkers, 1, 256, w);
    r.scores(*t, c.auth.scores, w);
  } else if (root.get("auth")) {
    r.error(root.get("auth"), "'auth' must be a table");
  }

  if (const toml::table* t = root["mime"].as_table()) {
    const char* w = "mime.";
    r.checkKeys(*t, w, {"max_depth", "max_parts", "max_decoded_bytes", "html_max_bytes",
                        "html_max_depth", "html_max_elements", "max_scan_time", "scores"});
    r.integer(*t, "max_depth", c.mime.limits.maxDepth, 1, 100, w);
    r.integer(*t, "max_parts", c.mime.limits.maxParts, 1, 100000, w);
    r.integer(*t, "max_decoded_bytes", c.mime.limits.maxDecodedBytes, 1024, int64_t(1) << 32, w);
    r.integer(*t, "html_max_bytes", c.mime.limits.html.maxBytes, 1024, int64_t(1) << 30, w);
    r.integer(*t, "html_max_depth", c.mime.limits.html.maxDepth, 8, 4096, w);
    r.integer(*t, "html_max_elements", c.mime.limits.html.maxElements, 100, 10'000'000, w);
    r.duration(*t, "max_scan_time", c.mime.limits.maxScanTime, 0.001, 3600, w);
    r.scores(*t, c.mime.scores, w);
  }

  auto base = std::make_shared<core::Policy>();
  if (const toml::table* t = root["firewall"].as_table()) {
    const char* w = "firewall.";
    auto& f = c.firewall;
    r.checkKeys(*t, w,
                {"pregreet_delay",
                 "pregreet_action",
                 "dnsbl",
                 "dnsbl_threshold",
                 "dnswl_threshold",
                 "dnsbl_action",
                 "max_connections",
                 "max_connections_per_ip",
                 "max_connections_per_subnet",
                 "rate_per_ip",
                 "rate_per_subnet",
                 "ipv4_prefix",
                 "ipv6_prefix",
                 "pipelining_action",
                 "non_smtp_action",
                 "bare_newline_action",
                 "max_unknown_commands",
                 "tarpit_delay",
                 "tarpit_score",
                 "tarpit_after_errors",
                 "pass_ttl",
                 "fail_ttl",
                 "cache_entries",
                 "reverse_dns",
                 "helo_checks",
                 "helo_own_name_action",
                 "scores"});
    using firewall::FirewallAction;
    const std::initializer_list<std::pair<std::string_view, FirewallAction>> actions = {
        {"ignore", FirewallAction::Ignore},
        {"tempfail", FirewallAction::Tempfail},
        {"reject", FirewallAction::Reject},
        {"drop", FirewallAction::Drop}};
    r.duration(*t, "pregreet_delay", f.pregreetDelay, 0, 60, w);
    r.choice(*t, "pregreet_action", f.pregreetAction, actions, w);
    if (t->get("dnsbl")) {
      for (const auto& spec : r.strings(*t, "dnsbl", w)) {
        std::string why;
        if (auto site = firewall::parseDnsblSite(spec, &why))
          f.dnsbl.push_back(std::move(*site));
        else
          r.error(t->get("dnsbl"), "firewall.dnsbl: " + why);
      }
    }
    r.number(*t, "dnsbl_threshold", f.dnsblThreshold, w);
    r.number(*t, "dnswl_threshold", f.dnswlThreshold, w);
    r.choice(*t, "dnsbl_action", f.dnsblAction, actions, w);
    r.integer(*t, "max_connections", f.limits.maxConnections, 0, 1'000'000, w);
    r.integer(*t, "max_connections_per_ip", f.limits.maxConnectionsPerIp, 0, 1'000'000, w);
    r.integer(*t, "max_connections_per_subnet", f.limits.maxConnectionsPerSubnet, 0, 1'000'000, w);
    r.integer(*t, "rate_per_ip", f.limits.ratePerIp, 0, 1'000'000, w);
    r.integer(*t, "rate_per_subnet", f.limits.ratePerSubnet, 0, 1'000'000, w);
    r.integer(*t, "ipv4_prefix", f.limits.ipv4Prefix, 8, 32, w);
    r.integer(*t, "ipv6_prefix", f.limits.ipv6Prefix, 16, 128, w);
    r.choice(*t, "pipelining_action", f.pipeliningAction, actions, w);
    r.choice(*t, "non_smtp_action", f.nonSmtpAction, actions, w);
    r.choice(*t, "bare_newline_action", f.bareNewlineAction, actions, w);
    r.integer(*t, "max_unknown_commands", f.maxUnknownCommands, 0, 1000, w);
    r.duration(*t, "tarpit_delay", f.tarpitDelay, 0, 30, w);
    r.number(*t, "tarpit_score", f.tarpitScore, w);
    r.integer(*t, "tarpit_after_errors", f.tarpitAfterErrors, 0, 1000, w);
    r.duration(*t, "pass_ttl", f.passTtl, 0, 30 * 86400, w);
    r.duration(*t, "fail_ttl", f.failTtl, 0, 30 * 86400, w);
    r.integer(*t, "cache_entries", f.cacheEntries, 0, 100'000'000, w);
    r.boolean(*t, "reverse_dns", f.reverseDns, w);
    r.boolean(*t, "helo_checks", f.heloChecks, w);
    r.choice(*t, "helo_own_name_action", f.heloOwnNameAction, actions, w);
    r.scores(*t, f.scores, w);
  } else if (root.get("firewall")) {
    r.error(root.get("firewall"), "'firewall' must be a table");
  }

  if (const toml::table* t = root["greylist"].as_table()) {
    const char* w = "greylist.";
    auto& g = c.greylist;
    r.checkKeys(*t, w,
                {"enabled", "delay", "retry_window", "pass_ttl", "auto_allowlist_after",
                 "ipv4_prefix", "ipv6_prefix", "max_entries", "score"});
    r.boolean(*t, "enabled", g.enabled, w);
    r.duration(*t, "delay", g.delay, 0, 86400, w);
    r.duration(*t, "retry_window", g.retryWindow, 60, 90 * 86400, w);
    r.duration(*t, "pass_ttl", g.passTtl, 60, 365 * 86400, w);
    r.integer(*t, "auto_allowlist_after", g.autoAllowlistAfter, 0, 1000, w);
    r.integer(*t, "ipv4_prefix", g.ipv4Prefix, 8, 32, w);
    r.integer(*t, "ipv6_prefix", g.ipv6Prefix, 16, 128, w);
    r.integer(*t, "max_entries", g.maxEntries, 1000, 100'000'000, w);
    r.number(*t, "score", g.score, w);
  } else if (root.get("greylist")) {
    r.error(root.get("greylist"), "'greylist' must be a table");
  }

  if (const toml::table* t = root["milter"].as_table()) {
    const char* w = "milter.";
    r.checkKeys(*t, w, {"listen", "timeout"});
    if (t->get("listen")) {
      for (const auto& spec : r.strings(*t, "listen", w)) {
        std::string why;
        if (auto m = parseMilterListen(spec, &why))
          c.milter.listen.push_back(std::move(*m));
        else
          r.error(t->get("listen"), "milter.listen: " + why);
      }
    }
    r.duration(*t, "timeout", c.milter.timeout, 1, 3600, w);
  } else if (root.get("milter")) {
    r.error(root.get("milter"), "'milter' must be a table");
  }
  if (const toml::table* t = root["admin"].as_table()) {
    r.checkKeys(*t, "admin.", {"listen", "console_password"});
    std::string spec;
    r.str(*t, "listen", spec, "admin.");
    r.str(*t, "console_password", c.consolePassword, "admin.");
    if (!c.consolePassword.empty() && c.consolePassword.size() < 12)
      r.error(t->get("console_password"),
              "admin.console_password: at least 12 characters (it guards quarantine release)");
    if (!spec.empty()) {
      std::string why;
      if (auto a = parseListen(spec, &why))
        c.adminListen = *a;
      else
        r.error(t->get("listen"), "admin.listen: " + why);
    }
  } else if (root.get("admin")) {
    r.error(root.get("admin"), "'admin' must be a table");
  }
  if (const toml::table* t = root["quarantine"].as_table()) {
    r.checkKeys(*t, "quarantine.", {"dir"});
    r.str(*t, "dir", c.quarantineDir, "quarantine.");
    if (c.quarantineDir.empty()) r.error(t->get("dir"), "quarantine.dir: must not be empty");
  } else if (root.get("quarantine")) {
    r.error(root.get("quarantine"), "'quarantine' must be a table");
  }
  // Something must listen: the SMTP proxy, the milter, or both.
  if (c.listen.empty() && c.milter.listen.empty())
    r.error(root.get("listen"), "listen: at least one address is needed (or milter.listen)");

  if (const toml::table* t = root["reputation"].as_table()) {
    const char* w = "reputation.";
    auto& rp = c.reputation;
    r.checkKeys(*t, w,
                {"enabled",
                 "half_life_days",
                 "confidence_messages",
                 "min_messages",
                 "max_bad",
                 "max_good",
                 "allow_score",
                 "deny_score",
                 "learn",
                 "learn_spam_at",
                 "learn_ham_below",
                 "learn_weight_ham",
                 "learn_weight_spam",
                 "learn_weight_rejected",
                 "learn_weight_manual",
                 "learn_weight_refused",
                 "workers",
                 "ipv4_prefix",
                 "ipv6_prefix",
                 "max_url_hosts",
                 "domain_lists",
                 "max_domain_lookups"});
    if (t->get("domain_lists")) {
      for (const auto& spec : r.strings(*t, "domain_lists", w)) {
        std::string why;
        if (auto list = checks::parseDomainList(spec, &why))
          rp.domainLists.push_back(std::move(*list));
        else
          r.error(t->get("domain_lists"), "reputation.domain_lists: " + why);
      }
    }
    r.integer(*t, "max_domain_lookups", rp.maxDomainLookups, 1, 200, w);
    r.boolean(*t, "enabled", rp.enabled, w);
    r.number(*t, "half_life_days", rp.score.halfLifeDays, w);
    r.number(*t, "confidence_messages", rp.score.confidenceHalf, w);
    r.number(*t, "min_messages", rp.score.minMessages, w);
    r.number(*t, "max_bad", rp.score.maxBad, w);
    r.number(*t, "max_good", rp.score.maxGood, w);
    r.number(*t, "allow_score", rp.score.allowScore, w);
    r.number(*t, "deny_score", rp.score.denyScore, w);
    r.boolean(*t, "learn", rp.learn, w);
    r.number(*t, "learn_spam_at", rp.learnSpamAt, w);
    r.number(*t, "learn_ham_below", rp.learnHamBelow, w);
    for (auto [key, weight] : {std::pair{"learn_weight_ham", &rp.learnWeights.ham},
                               std::pair{"learn_weight_spam", &rp.learnWeights.spam},
                               std::pair{"learn_weight_rejected", &rp.learnWeights.rejected},
                               std::pair{"learn_weight_manual", &rp.learnWeights.manual},
                               std::pair{"learn_weight_refused", &rp.learnWeights.refused}}) {
      r.number(*t, key, *weight, w);
      if (*weight < 0 || *weight > 1000)
        r.error(t->get(key), std::string("reputation.") + key + " must be 0 to 1000");
    }
    r.integer(*t, "workers", rp.workers, 1, 64, w);
    r.integer(*t, "ipv4_prefix", rp.keys.ipv4Prefix, 8, 32, w);
    r.integer(*t, "ipv6_prefix", rp.keys.ipv6Prefix, 16, 128, w);
    r.integer(*t, "max_url_hosts", rp.keys.maxUrlHosts, 0, 100, w);
    if (rp.score.halfLifeDays <= 0)
      r.error(t->get("half_life_days"), "reputation.half_life_days must be above 0");
    if (rp.score.confidenceHalf <= 0)
      r.error(t->get("confidence_messages"), "reputation.confidence_messages must be above 0");
  } else if (root.get("reputation")) {
    r.error(root.get("reputation"), "'reputation' must be a table");
  }

  if (const toml::table* t = root["verdict"].as_table()) {
    r.checkKeys(*t, "verdict.", {"reject", "discard", "tempfail", "quarantine", "add_headers"});
    readThresholds(r, *t, base->thresholds, "verdict.");
  }
  c.policies = core::PolicyMap(base);
  if (const toml::table* t = root["policy"].as_table()) {
    for (const auto& [domain, node] : *t) {
      const toml::table* pt = node.as_table();
      std::string where = "policy.\"" + std::string(domain.str()) + "\".";
      if (!pt) {
        r.error(&node, where + " must be a table");
        continue;
      }
      r.checkKeys(*pt, where,
                  {"reject", "discard", "tempfail", "quarantine", "add_headers", "disable"});
      auto p = std::make_shared<core::Policy>(*base);
      p->name = std::string(domain.str());
      readThresholds(r, *pt, p->thresholds, where);
      for (const auto& name : r.strings(*pt, "disable", where)) {
        if (!kCheckNames.contains(name))
          r.error(pt->get("disable"), where + "disable: unknown check '" + name + "'");
        p->disabledChecks.insert(name);
      }
      c.policies.add(std::string(domain.str()), p);
    }
  }
}

toml::node_view<toml::node> ensurePath(toml::table& root, const std::string& dotted,
                                       std::string& leaf, toml::table*& parent, std::string* why) {
  parent = &root;
  size_t start = 0;
  while (true) {
    auto dot = dotted.find('.', start);
    std::string part =
        dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (part.empty()) {
      *why = "empty key segment";
      return {};
    }
    if (dot == std::string::npos) {
      leaf = part;
      return (*parent)[part];
    }
    if (!parent->contains(part)) parent->insert(part, toml::table{});
    toml::table* next = (*parent)[part].as_table();
    if (!next) {
      *why = "'" + part + "' is not a table";
      return {};
    }
    parent = next;
    start = dot + 1;
  }
}

}  // namespace

std::string ListenAddress::str() const {
  return ListenHostPort(host, port);
}

std::optional<Override> parseOverride(const std::string& arg, std::string* why) {
  auto eq = arg.find('=');
  if (eq == std::string::npos || eq == 0) {
    *why = "-o expects key=value, got '" + arg + "'";
    return std::nullopt;
  }
  return Override{arg.substr(0, eq), arg.substr(eq + 1)};
}

LoadResult load(const std::string& path, const std::vector<Override>& overrides) {
  LoadResult result;
  toml::table root;
  if (!path.empty()) {
    try {
      root = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
      result.errors.push_back(
          {path, static_cast<int>(e.source().begin.line), std::string(e.description())});
      return result;
    }
  }
  std::set<std::string> overridden;
  for (const auto& o : overrides) {
    std::string leaf, why;
    toml::table* parent = nullptr;
    ensurePath(root, o.key, leaf, parent, &why);
    if (!parent || leaf.empty()) {
      result.errors.push_back({"-o " + o.key, 0, why});
      continue;
    }
    // The value as TOML if it parses as one ("30", "true", "[\"a\"]"), else a plain string.
    std::optional<toml::table> parsed;
    try {
      parsed = toml::parse("v = " + o.value, std::string_view("-o " + o.key));
    } catch (const toml::parse_error&) {
    }
    toml::node* existing = parent->get(leaf);
    const bool repeat = overridden.contains(o.key);
    overridden.insert(o.key);
    auto setValue = [&](auto&& v) { parent->insert_or_assign(leaf, std::forward<decltype(v)>(v)); };
    toml::node* value = parsed ? parsed->get("v") : nullptr;
    const bool listKey = (existing && existing->is_array()) || o.key == "listen" ||
                         o.key == "relay_domains" || o.key == "firewall.dnsbl" || leaf == "disable";
    if (listKey && !(value && value->is_array())) {
      toml::array arr;
      if (repeat && existing && existing->is_array()) arr = *existing->as_array();
      if (value && !value->is_table())
        value->visit([&](auto&& v) { arr.push_back(v); });
      else
        arr.push_back(o.value);
      setValue(std::move(arr));
    } else if (value) {
      value->visit([&](auto&& v) { setValue(v); });
    } else {
      setValue(o.value);
    }
  }
  auto cfg = std::make_shared<Config>();
  cfg->sourceFile = path;
  Reader reader(path, result.errors);
  interpret(reader, root, *cfg);
  if (cfg->hostname.empty()) {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    cfg->hostname = host[0] ? host : "localhost";
  }
  cfg->smtp.hostname = cfg->hostname;
  // The rule files and score set every reader of the rules uses (gateway, reload, scan, lint).
  cfg->rules.paths = ruleSourcePaths(cfg->ruleSources);
  // "auto": loadRules chooses from what runs (1 when network evals run, else 0).
  cfg->rules.scoreSet = cfg->scoreSet.value_or(-1);
  // The firewall's after-banner protocol tests run inside the SMTP session.
  const auto drop = firewall::FirewallAction::Drop;
  cfg->smtp.dropOnPipelining = cfg->firewall.pipeliningAction == drop;
  cfg->smtp.dropOnNonSmtp = cfg->firewall.nonSmtpAction == drop;
  cfg->smtp.dropOnBareNewline = cfg->firewall.bareNewlineAction == drop;
  cfg->smtp.maxUnknownCommands = cfg->firewall.maxUnknownCommands;
  if (cfg->auth.authservId.empty()) cfg->auth.authservId = cfg->hostname;
  if (result.errors.empty()) result.config = cfg;
  return result;
}

}  // namespace portcullis::config
