// SpamAssassin's RegistryBoundaries over the rule files' util_rb_tld / util_rb_2tld /
// util_rb_3tld settings: the registered domain of a host name (trim_domain), whether a name
// ends in a known TLD (is_domain_valid), and Util.pm's is_fqdn_valid. Host names are ASCII
// here (IDN labels are compared as written, lower-cased).
#pragma once
#include <string>
#include <string_view>
#include <unordered_set>

#include "gateway/content/evals/eval_settings.h"

namespace portcullis::content::evals {

class RegistryBoundaries {
 public:
  explicit RegistryBoundaries(const EvalSettings& settings);

  // "www.foo.co.uk" -> "foo.co.uk" (lower-cased).
  std::string trimDomain(std::string_view host) const;
  // Ends in a known TLD after at least one dot.
  bool isDomainValid(std::string_view domain) const;
  static bool isFqdnValid(std::string_view host);
  // SpamAssassin's IS_IP_ADDRESS for the dotted IPv4 form (the only one a host name of a
  // URL without ':' can take).
  static bool isIpv4Address(std::string_view host);

 private:
  std::unordered_set<std::string> tlds_, twoLevel_, threeLevel_;
};

}  // namespace portcullis::content::evals
