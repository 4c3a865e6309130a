#include "gateway/config/snapshot.h"

#include "gateway/checks/client_access_check.h"
#include "gateway/checks/mime_structure_check.h"
#include "gateway/checks/relay_domains_check.h"

namespace portcullis::config {

SnapshotResult buildSnapshot(std::shared_ptr<const Config> config) {
  SnapshotResult result;
  std::vector<std::shared_ptr<const core::Check>> checks;
  if (!config->clientAccessFile.empty()) {
    auto loaded = checks::CidrTable::load(config->clientAccessFile);
    if (auto* errs = std::get_if<std::vector<core::SourceError>>(&loaded)) {
      result.errors = *errs;
      return result;
    }
    auto table =
        std::make_shared<const checks::CidrTable>(std::get<checks::CidrTable>(std::move(loaded)));
    checks.push_back(std::make_shared<checks::ClientAccessCheck>(table, config->clientAccess));
  }
  checks::RelayDomains domains(config->relayDomains);
  if (domains.empty())
    result.warnings.push_back("relay_domains is empty: every recipient will be refused");
  checks.push_back(std::make_shared<checks::RelayDomainsCheck>(std::move(domains)));
  checks.push_back(std::make_shared<checks::MimeStructureCheck>(config->mime));
  if (!config->rules.paths.empty()) {
    content::LoadedRules loaded = content::loadRules(config->rules);
    for (auto& w : loaded.warnings) result.warnings.push_back(std::move(w));
    if (!loaded.errors.empty()) {
      result.errors = std::move(loaded.errors);
      return result;
    }
    checks.push_back(
        std::make_shared<content::ContentRulesCheck>(loaded.rules, config->mime.limits));
  }

  if (config->auth.enabled) {
    std::string error;
    auto resolver = dns::Resolver::create(config->dns, &error);
    if (!resolver) {
      result.errors.push_back({config->sourceFile, 0, error});
      return result;
    }
    checks.push_back(std::make_shared<auth::AuthCheck>(resolver, config->auth, config->hostname));
  }

  auto snap = std::make_shared<Snapshot>();
  snap->config = std::move(config);
  snap->pipeline = std::make_shared<core::Pipeline>(std::move(checks));
  result.snapshot = std::move(snap);
  return result;
}

SnapshotResult loadSnapshot(const std::string& path, const std::vector<Override>& overrides) {
  auto loaded = load(path, overrides);
  if (!loaded.config) return SnapshotResult{nullptr, std::move(loaded.errors), {}};
  return buildSnapshot(loaded.config);
}

}  // namespace portcullis::config
