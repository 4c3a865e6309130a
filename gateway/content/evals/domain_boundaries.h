// SpamAssassin's RegistryBoundaries::split_domain: where the registered domain of a host
// name starts, from the util_rb_tld / util_rb_2tld / util_rb_3tld lists of the rule files
// (co.uk, com.au, ...) and the US locality rules of RFC 1480.
#pragma once
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "gateway/content/evals/eval_settings.h"

namespace portcullis::content::evals {

class DomainBoundaries {
 public:
  explicit DomainBoundaries(const EvalSettings& settings);
  // (host part, registered domain), lower-cased: "mail.example.co.uk" -> ("mail", "example.co.uk").
  std::pair<std::string, std::string> split(std::string_view name) const;

 private:
  std::unordered_set<std::string> twoLevel_, threeLevel_;
};

}  // namespace portcullis::content::evals
