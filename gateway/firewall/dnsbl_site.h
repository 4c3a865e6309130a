// One DNS list in postscreen's syntax: `zone[=filter][*weight]`.
//
//   zen.example=127.0.0.[2..11]*3     listed when an A record is 127.0.0.2 .. 127.0.0.11
//   bl.example*2                      any answer
//   wl.example=127.0.[0..255].[1;2;3]*-2   a negative weight: an allowlist
//
// Each octet of the filter is a number or a bracketed set of numbers and ranges separated by
// `;` (postscreen uses `;` since `,` separates list entries in main.cf).
#pragma once
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/core/ip_address.h"

namespace portcullis::firewall {

struct DnsblSite {
  std::string spec;  // as configured, for logs
  std::string zone;  // lower case, no trailing dot
  // Per octet, inclusive ranges; none = any answer.
  std::optional<std::array<std::vector<std::pair<int, int>>, 4>> filter;
  double weight = 1;
  std::string symbol;  // RBL_ZONE_NAME, or RWL_... for a negative weight

  bool matches(const core::IpAddress& answer) const;
};

std::optional<DnsblSite> parseDnsblSite(std::string_view spec, std::string* why);

// 127.255.255.0/24 is where DNS lists answer errors rather than listings (Spamhaus: .252 typo
// in the query, .254 queried through a public resolver, .255 too many queries). Counted as a
// listing, such an answer would block every client of a site configured without a filter.
bool isDnsListError(const core::IpAddress& answer);

// A list that fails lists nothing; the admin must still hear of it, but not once per
// connection: one warning per zone per minute, with how many failed since.
void warnDnsListTrouble(const std::string& zone, const std::string& what);

// "<reversed client address>.<zone>": d.c.b.a.zone, or 32 nibbles for IPv6.
std::string dnsblQueryName(const core::IpAddress& client, const std::string& zone);

}  // namespace portcullis::firewall
