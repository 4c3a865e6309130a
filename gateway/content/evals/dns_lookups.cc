#include "gateway/content/evals/dns_lookups.h"

#include <algorithm>

namespace portcullis::content::evals {

void addLookup(std::vector<DnsLookup>& lookups, DnsLookup lookup) {
  auto same = [&](const DnsLookup& l) {
    return l.name == lookup.name && l.type == lookup.type && l.set == lookup.set;
  };
  if (std::none_of(lookups.begin(), lookups.end(), same)) lookups.push_back(std::move(lookup));
}

}  // namespace portcullis::content::evals
