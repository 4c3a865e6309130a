// A regular expression the relay evals copy from SpamAssassin's Perl, compiled once with the
// rule engine's full regex engine (RE2 where it can, PCRE2 with a match limit where the
// pattern needs look-around or back-references), so Perl's meaning carries over and hostile
// header text cannot make a match run away.
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "rules/engine/full_regex.h"

namespace portcullis::content::evals {

class RelayPattern {
 public:
  // `pattern` is written as between Perl's slashes; a pattern that does not compile is a
  // programming error and throws at first use.
  explicit RelayPattern(std::string pattern, bool caseless = false, bool multiline = false);
  bool search(std::string_view text) const;

 private:
  std::unique_ptr<rules::FullRegex> regex_;
};

// SpamAssassin's Constants.pm IP_ADDRESS (IPv4, IPv4-mapped IPv6 or IPv6), to splice into
// patterns (case-insensitive inside, as Perl's /i there).
extern const std::string kSaIpAddress;

// Perl's s/\s+/ /gs: SpamAssassin flattens folded Received headers this way before matching.
std::string squashWhitespace(std::string_view text);

// Constants.pm IS_IPV4_ADDRESS: exactly a dotted quad with no leading zeros.
bool isSaIpv4Address(std::string_view text);
// Constants.pm IS_IP_PRIVATE: RFC 1918, loopback, link-local, CGN, and the IPv6 forms of those.
bool isSaPrivateIp(std::string_view text);

}  // namespace portcullis::content::evals
