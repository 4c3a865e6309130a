// DMARC (RFC 7489, with np= from RFC 9091).
//
// libopendmarc parses the record (opendmarc_policy_store_dmarc) and we read p, sp, pct, adkim
// and aspf back from it. Discovery, the organisational domain, alignment and the policy choice
// are ours, because libopendmarc 1.4.2 falls short there: its own discovery calls the blocking
// system resolver, it knows no np=, leaves pct= sampling to the caller, and loads its public
// suffix list from a path we would have to configure. We use libpsl with Debian's publicsuffix
// list for the organisational domain.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gateway/auth/dkim.h"
#include "gateway/auth/spf.h"
#include "gateway/dns/resolver.h"

namespace portcullis::auth {

struct DmarcRecord {
  char p = 'n';                // n, q, r
  std::optional<char> sp, np;  // subdomain / non-existent subdomain policy
  int pct = 100;
  bool strictDkim = false, strictSpf = false;
};

// Parses a _dmarc TXT record; nullopt with `why` when it is not a usable DMARC record.
std::optional<DmarcRecord> parseDmarcRecord(const std::string& txt, std::string* why);

// The one usable DMARC record of a _dmarc answer (RFC 7489 6.6.3: none, or more than one, is no
// policy). Discovery (whether to fall back to the organisational domain) and evaluation use it.
std::optional<DmarcRecord> selectDmarcRecord(const dns::Answer& answer, std::string* why);

// Reads the public suffix list (a file of a few hundred KB) now, at start-up, instead of on the
// thread of the first message that needs it.
void loadPublicSuffixList();

// The registrable domain under the public suffix list ("mail.example.co.uk" -> "example.co.uk").
std::string organizationalDomain(const std::string& domain);

// RFC 5322 From: each address's domain, lower case, in order. Empty when no address parses.
std::vector<std::string> fromDomains(const std::vector<std::string>& fromFieldValues);

struct DmarcOutcome {
  std::string result = "none";  // pass, fail, none, temperror, permerror
  std::string fromDomain;       // the domain evaluated (the first failing one if several)
  std::string policyDomain;     // where the record was found
  bool orgRecord = false;       // found at the organisational domain
  char policy = 'n';            // the policy that applies: n, q, r
  char disposition = 'n';       // after pct sampling
  bool sampledOut = false;      // pct= kept the policy from applying
  bool spfAligned = false, dkimAligned = false;
  std::string reason;
};

// One From domain's DNS facts, gathered asynchronously before evaluation.
struct DmarcDns {
  dns::Answer atFrom;                     // _dmarc.<from>
  std::optional<dns::Answer> atOrg;       // _dmarc.<org>, when needed
  std::optional<dns::Answer> fromExists;  // A of <from>, when np= may apply
};

// Evaluates one From domain. `sample` draws 0..99 for pct=. `fromAmbiguous`: the From field
// reads differently to different readers (from_address.h), so alignment with this one of its
// domains proves nothing about what a client shows: a domain with a policy fails.
DmarcOutcome evaluateDmarc(const std::string& fromDomain, const DmarcDns& dns,
                           const SpfOutcome& spf, const std::vector<DkimSignatureResult>& dkim,
                           const std::function<int()>& sample, bool fromAmbiguous = false);

// What to look up for a From domain, in order (each step only if the previous says so).
std::string dmarcName(const std::string& domain);

}  // namespace portcullis::auth
