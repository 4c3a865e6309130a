// Data stage: the domains a message names (envelope sender, header From, URL hosts, HELO)
// looked up in domain-based DNS lists (domain_list.h), all at once through the shared
// resolver. Each reply-code mapping that matches adds its symbol once, naming the domains.
// A list that fails or answers an error lists nothing and is warned about once a minute.
#pragma once
#include <memory>
#include <vector>

#include "gateway/checks/domain_list.h"
#include "gateway/core/check.h"
#include "gateway/dns/resolver.h"
#include "gateway/mime/message.h"

namespace portcullis::checks {

struct DomainListSettings {
  std::vector<DomainList> lists;
  size_t maxDomains = 20;  // distinct domains asked per message and list (URL-heavy spam)
  mime::Limits limits;
};

class DomainListCheck final : public core::Check {
 public:
  DomainListCheck(std::shared_ptr<dns::Resolver> resolver,
                  std::shared_ptr<const DomainListSettings> settings)
      : resolver_(std::move(resolver)), settings_(std::move(settings)) {}
  std::string_view name() const override { return "domain_lists"; }
  core::Stage stage() const override { return core::Stage::Data; }
  void run(const core::CheckContext& ctx, core::StageOutcome& out,
           std::function<void()> done) const override;

 private:
  std::shared_ptr<dns::Resolver> resolver_;
  std::shared_ptr<const DomainListSettings> settings_;
};

}  // namespace portcullis::checks
