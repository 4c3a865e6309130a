// Domain-based DNS lists (RHSBL, URIBL, SURBL, Spamhaus DBL): a domain is listed when
// `<domain>.<zone>` has an A record. One list per config string:
//
//   "dbl.spamhaus.org@sender,from,url 127.0.1.2=DBL_SPAM*4 127.0.1.[5..6]=DBL_MALWARE*6"
//   "multi.surbl.org@url &8=SURBL_PH*5 &16=SURBL_MW*6 &64=SURBL_ABUSE*3"
//   "rhsbl.example*2"
//
// The zone, then optionally `@` and which domains it is asked about (sender: the envelope
// sender's; from: the header From's; url: the registrable domains of URLs in the body; helo:
// the HELO name; default sender,from,url). Then reply-code mappings, each `FILTER=SYMBOL*SCORE`
// with a postscreen-style address filter (each octet a number or [n..m;k]), or
// `&MASK=SYMBOL*SCORE` for bit-coded lists (listed when the answer's last octet has a bit of
// MASK). An answer no mapping names is not a listing. Without mappings, `*SCORE` after the
// zone gives any 127.0.0.0/8 answer the symbol RHSBL_ZONE. Answers in 127.255.255.0/24 are
// list errors (refused, rate limited), never listings.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/core/ip_address.h"
#include "gateway/firewall/dnsbl_site.h"

namespace portcullis::checks {

enum DomainSource : unsigned { kSender = 1, kFrom = 2, kUrl = 4, kHelo = 8 };

struct DomainList {
  struct Code {
    std::optional<firewall::DnsblSite> filter;  // set for FILTER= mappings
    uint32_t mask = 0;                          // set for &MASK= mappings
    std::string symbol;
    double score = 0;
  };
  std::string spec;
  std::string zone;
  unsigned sources = kSender | kFrom | kUrl;
  std::vector<Code> codes;  // never empty after parsing

  // The mappings an answer matches (indexes into `codes`).
  std::vector<size_t> matches(const core::IpAddress& answer) const;
};

std::optional<DomainList> parseDomainList(std::string_view spec, std::string* why);

}  // namespace portcullis::checks
