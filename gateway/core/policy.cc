#include "gateway/core/policy.h"

#include "gateway/core/text.h"

namespace portcullis::core {

PolicyMap::PolicyMap() : default_(std::make_shared<Policy>()) {}
PolicyMap::PolicyMap(std::shared_ptr<const Policy> fallback) : default_(std::move(fallback)) {}

void PolicyMap::add(std::string key, std::shared_ptr<const Policy> p) {
  byDomain_[lowerAscii(key)] = std::move(p);
}

std::shared_ptr<const Policy> PolicyMap::forDomain(std::string_view domain) const {
  std::string d = lowerAscii(domain);
  if (auto it = byDomain_.find(d); it != byDomain_.end()) return it->second;
  for (auto dot = d.find('.'); dot != std::string::npos; dot = d.find('.', dot + 1)) {
    if (auto it = byDomain_.find(std::string_view(d).substr(dot)); it != byDomain_.end())
      return it->second;
  }
  return default_;
}

}  // namespace portcullis::core
