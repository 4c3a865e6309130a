// DKIM verification (RFC 6376, RFC 8463 ed25519) with libopendkim.
//
// libopendkim asks for keys through a synchronous callback. So the check first reads the
// signatures' d= and s= itself (keyNames), fetches every key record through the asynchronous
// resolver, and only then runs libopendkim, whose callback answers from those prefetched
// records: verification never waits on DNS.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/dns/resolver.h"
#include "gateway/mime/headers.h"

namespace portcullis::auth {

struct DkimSignatureResult {
  std::string result;  // RFC 8601: pass, fail, neutral, temperror, permerror, policy
  std::string domain;  // d=
  std::string selector;
  std::string algorithm;  // rsa-sha256, ed25519-sha256, ...
  std::string identity;   // i= (the AUID), defaults to @d
  std::string b;          // the first characters of b=, to tell signatures apart (RFC 6008)
  std::string reason;     // libopendkim's error text when not pass
};

struct DkimSettings {
  unsigned minKeyBits = 1024;  // RFC 8301: shorter RSA keys are not accepted
  uint64_t fixedTime = 0;      // for tests with old signatures: "now" for x= checks
  size_t maxSignatures = 10;   // more than this are not checked (resource bound)
};

class DkimVerifier {
 public:
  explicit DkimVerifier(DkimSettings settings);
  ~DkimVerifier();
  DkimVerifier(const DkimVerifier&) = delete;
  DkimVerifier& operator=(const DkimVerifier&) = delete;

  // "selector._domainkey.domain" for each DKIM-Signature field of the message's header (at
  // most maxSignatures).
  std::vector<std::string> keyNames(const std::vector<mime::Header>& header) const;

  // Verifies every signature of `message` (CRLF line ends) with the key records in `keys`,
  // by key name. A name missing from `keys` counts as a DNS failure (temperror).
  std::vector<DkimSignatureResult> verify(std::string_view message,
                                          const std::map<std::string, dns::Answer>& keys) const;

 private:
  struct Lib;
  std::unique_ptr<Lib> lib_;
  DkimSettings settings_;
};

// The tag=value list of a DKIM-Signature (or key record): tag -> value, whitespace removed
// from values as RFC 6376 3.2 allows. nullopt if malformed.
std::optional<std::map<std::string, std::string>> parseTagList(std::string_view text);

}  // namespace portcullis::auth
