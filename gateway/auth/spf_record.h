// RFC 7208 record syntax, sans I/O. libspf2 accepts records the RFC calls permerror (non-ASCII
// bytes, a second redirect=, empty domain-specs, numeric top labels, leading zeros in CIDR
// lengths, ...) and refuses some valid ones (every "/0" CIDR length). The SPF layer checks each
// record libspf2 fetches with this strict parser and rewrites the "/0" forms into equivalents
// libspf2 takes.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace portcullis::auth {

// True for the records RFC 7208 4.5 selects: "v=spf1" then a space or the end.
bool isSpfRecord(std::string_view txt);

// nullopt when `record` is valid RFC 7208 syntax, else what is wrong ("term 'a:': empty
// domain-spec").
std::optional<std::string> spfSyntaxError(std::string_view record);

// The record in a form libspf2 evaluates as RFC 7208 says, for a client of this family (`ipv4`):
// - "/0" CIDR lengths: ip4:N/0 -> ip4:0.0.0.0/1 ip4:128.0.0.0/1 (likewise ip6), a[:D]/0 for an
//   IPv4 client -> exists:D, and a length the client's family ignores is dropped. Terms with no
//   such equivalent (mx/0 for IPv4, a//0 and mx//0 for IPv6) are left as they are;
// - unknown modifiers are dropped (they have no effect; libspf2 refuses some legal names);
// - redirect= is dropped when the record has "all" (RFC 7208 6.1).
// Expects a record that passed spfSyntaxError().
std::string rewriteForLibspf2(std::string_view record, bool ipv4);

}  // namespace portcullis::auth
