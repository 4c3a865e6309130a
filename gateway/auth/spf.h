// SPF (RFC 7208) with libspf2, its DNS routed through our resolver.
//
// libspf2's calls are synchronous, so evaluate() blocks on DNS and must run on a worker pool,
// never on an event-loop thread (the resolver refuses there). Where libspf2 predates RFC 7208
// this layer closes the gap; what remains is listed in docs/design.md ("SPF").
#pragma once
#include <memory>
#include <string>

#include "gateway/dns/resolver.h"

namespace portcullis::auth {

enum class SpfResult { None, Neutral, Pass, Fail, SoftFail, TempError, PermError };
std::string_view spfResultName(SpfResult r);  // RFC 8601 names: "pass", "temperror", ...

struct SpfOutcome {
  SpfResult result = SpfResult::None;
  std::string domain;       // the identity's domain that was checked
  std::string identity;     // "mailfrom" or "helo"
  std::string explanation;  // libspf2's comment, or why we changed its result
  int lookups = 0;          // DNS lookups made for this evaluation
  int voidLookups = 0;      // of which NXDOMAIN or no records
};

struct SpfSettings {
  int maxLookups = 10;     // RFC 7208 4.6.4
  int maxVoidLookups = 2;  // RFC 7208 4.6.4
  std::string receiver;    // %{r}: our host name
};

class SpfVerifier {
 public:
  SpfVerifier(std::shared_ptr<dns::Resolver> resolver, SpfSettings settings);
  ~SpfVerifier();
  SpfVerifier(const SpfVerifier&) = delete;
  SpfVerifier& operator=(const SpfVerifier&) = delete;

  // check_host() for MAIL FROM `mailFrom` (empty: the HELO identity, postmaster@helo, as
  // RFC 7208 2.4 says for the null sender). Blocking; thread-safe.
  SpfOutcome checkMailFrom(const std::string& ip, const std::string& helo,
                           const std::string& mailFrom) const;
  // check_host() for the HELO identity alone (RFC 7208 2.3).
  SpfOutcome checkHelo(const std::string& ip, const std::string& helo) const;

 private:
  SpfOutcome evaluate(const std::string& ip, const std::string& helo, const std::string& mailFrom,
                      const char* identity) const;
  struct Layer;
  std::unique_ptr<Layer> layer_;
  SpfSettings settings_;
};

}  // namespace portcullis::auth
