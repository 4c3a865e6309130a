// Network evals (SpamAssassin's DNSEval: check_rbl and friends) cannot wait for DNS inside a
// scan, so a message is scanned in two steps: each network eval first names the lookups it
// needs (its planner), the content check resolves them all at once through the gateway's
// resolver, and the evals then read the answers here. Without answers (network tests off, no
// resolver) a network eval does not hit.
#pragma once
#include <string>
#include <vector>

#include "gateway/dns/message.h"

namespace portcullis::content::evals {

struct DnsLookup {
  std::string set;   // SpamAssassin's rbl set name ("zen-lastexternal"): check_rbl_sub reads it
  std::string zone;  // the list's zone, without a trailing dot
  std::string name;  // the full query name
  dns::Type type = dns::Type::A;
};

struct DnsLookupResult {
  DnsLookup lookup;
  dns::Status status = dns::Status::ServFail;
  std::vector<std::string> records;  // A: dotted quads; TXT: the text
};

struct DnsResults {
  std::vector<DnsLookupResult> results;
};

// Adds `lookup` unless an identical one (name, type, set) is there already.
void addLookup(std::vector<DnsLookup>& lookups, DnsLookup lookup);

}  // namespace portcullis::content::evals
