// A message's path as SpamAssassin's relay analysis sees it (Received.pm
// parse_received_headers): every Received header parsed, then split where trust ends
// (trusted_networks, or inferred: private addresses and authenticated hops are trusted) and
// where the internal network ends (internal_networks, by default the trusted ones).
//
// Through the proxy and the milter the client the front door saw comes first, as the hop our
// own Received line would describe: its address, its forward-confirmed name and HELO cannot be
// forged by the message, and the message's own Received lines follow it.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/content/relays/relay.h"
#include "gateway/core/ip_address.h"
#include "rules/engine/rule_file_parser.h"

namespace portcullis::content::relays {

// SpamAssassin's NetSet: addresses and networks ("10.", "192.168.0.0/16", "::1"), each
// possibly negated with "!"; the first entry that contains an address decides.
class NetSet {
 public:
  // False with `error` set for an entry that is no address or network.
  bool add(std::string_view entry, std::string* error);
  void clear() { entries_.clear(); }
  bool contains(const core::IpAddress& ip) const;
  bool contains(std::string_view ip) const;
  bool empty() const { return entries_.empty(); }

 private:
  struct Entry {
    core::CidrRange range;
    bool exclude = false;
  };
  std::vector<Entry> entries_;
};

struct TrustSettings {
  NetSet trusted, internal, msa;
  bool trustedConfigured = false, internalConfigured = false;
  std::vector<std::string> originatingHeaders;  // originating_ip_headers
};

// From the rule files' settings (trusted_networks, internal_networks, msa_networks, their
// clear_* forms, originating_ip_headers), in order, then the configuration's own lists (which
// count as configured). 127/8 and ::1 are always trusted and internal, as in SpamAssassin.
// Entries that name no network are reported in `errors` ("file:line: ...") and skipped.
TrustSettings trustSettingsFrom(const std::vector<rules::Setting>& settings,
                                const std::vector<std::string>& configTrusted,
                                const std::vector<std::string>& configInternal,
                                std::vector<std::string>* errors);

// The hop the front door saw, in place of the Received line it would write.
struct SeenClient {
  core::IpAddress ip;
  std::string rdns;  // forward-confirmed reverse DNS, "" when none
  std::string helo;
  std::string by;    // our host name
  std::string auth;  // SMTP AUTH mechanism, "" when not authenticated
};

// `received`: the Received header values, topmost first. `originating`: (header, value) of the
// originating_ip_headers present, which SpamAssassin reads as extra hops at the bottom.
RelayPath analyseRelays(const std::vector<std::string>& received,
                        const std::vector<std::string>& originating, const TrustSettings& trust,
                        const std::optional<SeenClient>& seen);

// "[ ip=... rdns=... helo=... by=... ident=... envfrom=... intl=0 id=... auth=... msa=0 ]",
// space-separated: the X-Spam-Relays-* texts.
std::string relaysText(const std::vector<Relay>& relays);

}  // namespace portcullis::content::relays
