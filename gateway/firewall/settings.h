// What the connection firewall ([firewall]) and greylisting ([greylist]) are configured with.
#pragma once
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/core/verdict.h"
#include "gateway/firewall/dnsbl_site.h"

namespace portcullis::firewall {

// What happens when a firewall test fails. Every failure is also a symbol with a score.
//   ignore:   the symbol only; the score feeds the verdict (and may tarpit the client)
//   tempfail: the session goes on, every MAIL FROM is answered 450 4.7.1
//   reject:   the session goes on, every MAIL FROM is answered 554 5.7.1 (postscreen "enforce")
//   drop:     421 4.7.0 and the connection is closed at once
enum class FirewallAction { Ignore, Tempfail, Reject, Drop };
std::string_view firewallActionName(FirewallAction a);
// What an action means as a forced verdict: tempfail 450 4.7.1, reject 554 5.7.1, drop a 421
// 4.7.0 (which closes the session); none for ignore. `text` is what the client is told.
std::optional<core::ForcedAction> firewallForcedAction(FirewallAction a, const std::string& symbol,
                                                       const std::string& text);
std::map<std::string, double> defaultFirewallScores();

struct LimitSettings {
  int maxConnections = 2000;        // all clients together; 0 = no limit
  int maxConnectionsPerIp = 50;     // concurrent, as Postfix's smtpd_client_connection_count_limit
  int maxConnectionsPerSubnet = 0;  // concurrent per /24 or /64
  int ratePerIp = 0;                // new connections per minute (anvil-style); 0 = no limit
  int ratePerSubnet = 0;
  int ipv4Prefix = 24;
  int ipv6Prefix = 64;
  size_t maxTracked = 1'000'000;  // clients whose counters are kept
};

struct FirewallSettings {
  // The greeting delay: "220-" goes out at once, the final "220 " after this; a client that
  // talks in between is a pregreeter. 0 turns the test off.
  std::chrono::milliseconds pregreetDelay{0};
  FirewallAction pregreetAction = FirewallAction::Drop;

  std::vector<DnsblSite> dnsbl;
  double dnsblThreshold = 1;   // the weights of listing sites add up; at or above: dnsblAction
  double dnswlThreshold = -1;  // at or below (negative weights): allowlisted, tests skipped
  FirewallAction dnsblAction = FirewallAction::Reject;

  LimitSettings limits;

  FirewallAction pipeliningAction = FirewallAction::Drop;
  FirewallAction nonSmtpAction = FirewallAction::Drop;
  FirewallAction bareNewlineAction = FirewallAction::Drop;
  int maxUnknownCommands = 5;

  // Tarpit: each reply to a suspicious client waits this long. Suspicious: a connect-stage score
  // at or above tarpitScore, or tarpitAfterErrors protocol errors.
  std::chrono::milliseconds tarpitDelay{1000};
  double tarpitScore = 3;
  int tarpitAfterErrors = 3;

  // A client that passed every test skips the greeting delay for passTtl; one that failed is
  // refused at connect for failTtl.
  std::chrono::seconds passTtl{86400};
  std::chrono::seconds failTtl{3600};
  size_t cacheEntries = 200'000;

  bool reverseDns = true;  // PTR + forward confirmation (FCrDNS) at connect
  bool heloChecks = true;
  FirewallAction heloOwnNameAction = FirewallAction::Reject;

  std::map<std::string, double> scores = defaultFirewallScores();
  double score(const std::string& symbol) const {
    auto it = scores.find(symbol);
    return it == scores.end() ? 0 : it->second;
  }
};

struct GreylistSettings {
  bool enabled = false;
  std::chrono::seconds delay{300};           // a retry earlier than this is still greylisted
  std::chrono::seconds retryWindow{172800};  // a retry later than this starts over
  std::chrono::seconds passTtl{35 * 86400};  // a passed triplet is remembered this long
  int autoAllowlistAfter = 5;  // passed retries after which the client subnet skips it; 0 = never
  int ipv4Prefix = 24;
  int ipv6Prefix = 64;
  size_t maxEntries = 1'000'000;
  double score = 0;  // GREYLIST
};

}  // namespace portcullis::firewall
