// Connect stage: the client access list (CIDR allow/deny/tempfail). A denied client is
// rejected before any other check runs.
#pragma once
#include <memory>

#include "gateway/checks/cidr_table.h"
#include "gateway/core/check.h"

namespace portcullis::checks {

struct ClientAccessSettings {
  double allowScore = -5.0;  // CLIENT_ALLOWLISTED
  double denyScore = 20.0;   // CLIENT_DENYLISTED
};

class ClientAccessCheck final : public core::Check {
 public:
  ClientAccessCheck(std::shared_ptr<const CidrTable> table, ClientAccessSettings settings)
      : table_(std::move(table)), settings_(settings) {}
  std::string_view name() const override { return "client_access"; }
  core::Stage stage() const override { return core::Stage::Connect; }
  void run(const core::CheckContext& ctx, core::StageOutcome& out,
           std::function<void()> done) const override;

 private:
  std::shared_ptr<const CidrTable> table_;
  ClientAccessSettings settings_;
};

}  // namespace portcullis::checks
