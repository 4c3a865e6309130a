#include "gateway/config/snapshot.h"

#include "gateway/checks/client_access_check.h"
#include "gateway/checks/domain_list_check.h"
#include "gateway/checks/mime_structure_check.h"
#include "gateway/checks/relay_domains_check.h"
#include "gateway/firewall/dnsbl_check.h"
#include "gateway/firewall/helo_check.h"
#include "gateway/firewall/rdns_check.h"

namespace portcullis::config {

SnapshotResult buildSnapshot(std::shared_ptr<const Config> config) {
  SnapshotResult result;
  std::vector<std::shared_ptr<const core::Check>> checks;
  std::shared_ptr<const checks::CidrTable> accessTable;
  // One resolver for every check that asks DNS, made only if one does.
  const auto& fw = config->firewall;
  const bool needDns = config->auth.enabled || !fw.dnsbl.empty() || fw.reverseDns ||
                       fw.heloChecks || !config->reputation.domainLists.empty() ||
                       config->rules.networkTests;
  std::shared_ptr<dns::Resolver> resolver;
  if (needDns) {
    std::string error;
    resolver = dns::Resolver::create(config->dns, &error);
    if (!resolver) {
      result.errors.push_back({config->sourceFile, 0, error});
      return result;
    }
  }
  if (!config->clientAccessFile.empty()) {
    auto loaded = checks::CidrTable::load(config->clientAccessFile);
    if (auto* errs = std::get_if<std::vector<core::SourceError>>(&loaded)) {
      result.errors = *errs;
      return result;
    }
    auto table =
        std::make_shared<const checks::CidrTable>(std::get<checks::CidrTable>(std::move(loaded)));
    accessTable = table;
    checks.push_back(std::make_shared<checks::ClientAccessCheck>(table, config->clientAccess));
  }
  // Connect and helo stages: the firewall's DNS tests. The access list runs first, so a
  // denied client costs no DNS.
  auto fwSettings = std::make_shared<const firewall::FirewallSettings>(fw);
  if (!fw.dnsbl.empty())
    checks.push_back(std::make_shared<firewall::DnsblCheck>(resolver, fwSettings));
  if (fw.reverseDns) checks.push_back(std::make_shared<firewall::RdnsCheck>(resolver, fwSettings));
  if (fw.heloChecks)
    checks.push_back(std::make_shared<firewall::HeloCheck>(resolver, fwSettings, config->hostname));
  checks::RelayDomains domains(config->relayDomains);
  if (domains.empty())
    result.warnings.push_back("relay_domains is empty: every recipient will be refused");
  checks.push_back(std::make_shared<checks::RelayDomainsCheck>(std::move(domains)));
  checks.push_back(std::make_shared<checks::MimeStructureCheck>(config->mime));
  if (!config->rules.paths.empty()) {
    content::RulesSettings rulesSettings = config->rules;
    // SpamAssassin's `dns_available test`: network tests that cannot get an answer would only
    // cost every message the resolver's timeout and score it with the network score set.
    if (rulesSettings.networkTests && resolver) {
      dns::Answer probe = resolver->lookupBlocking(".", dns::Type::NS);
      if (probe.status == dns::Status::ServFail || probe.status == dns::Status::Timeout) {
        rulesSettings.networkTests = false;
        result.warnings.push_back(
            "rules: network tests off: the resolver does not answer (" +
            std::string(dns::statusName(probe.status)) +
            "); set rules.network_tests = false to skip this check");
      }
    }
    content::LoadedRules loaded = content::loadRules(rulesSettings);
    for (auto& w : loaded.warnings) result.warnings.push_back(std::move(w));
    if (!loaded.errors.empty()) {
      result.errors = std::move(loaded.errors);
      return result;
    }
    checks.push_back(
        std::make_shared<content::ContentRulesCheck>(loaded, config->mime.limits,
                                                     config->mime.scores.contains("SCAN_TIME_LIMIT")
                                                         ? config->mime.scores.at("SCAN_TIME_LIMIT")
                                                         : 2.0,
                                                     resolver));
  }

  if (config->auth.enabled) {
    checks.push_back(std::make_shared<auth::AuthCheck>(resolver, config->auth, config->hostname));
  }

  if (!config->reputation.domainLists.empty()) {
    auto lists = std::make_shared<checks::DomainListSettings>();
    lists->lists = config->reputation.domainLists;
    lists->maxDomains = static_cast<size_t>(config->reputation.maxDomainLookups);
    lists->limits = config->mime.limits;
    checks.push_back(std::make_shared<checks::DomainListCheck>(resolver, std::move(lists)));
  }

  // The store: reputation's, and with a shared one (Redis) the firewall's state too.
  std::shared_ptr<reputation::Store> store;
  if (config->reputation.enabled || config->store.starts_with("redis://")) {
    std::string error;
    store = reputation::sharedStore(config->store, &error);
    if (!store) {
      result.errors.push_back({config->sourceFile, 0, "store: " + error});
      return result;
    }
  }
  std::shared_ptr<checks::ReputationService> reputation;
  if (config->reputation.enabled) {
    reputation = std::make_shared<checks::ReputationService>(store, config->reputation);
    checks.push_back(std::make_shared<checks::ReputationCheck>(reputation));
  }

  auto snap = std::make_shared<Snapshot>();
  snap->config = std::move(config);
  snap->pipeline = std::make_shared<core::Pipeline>(std::move(checks));
  snap->clientAccess = std::move(accessTable);
  snap->reputation = std::move(reputation);
  if (store && store->shared()) snap->sharedStore = std::move(store);
  result.snapshot = std::move(snap);
  return result;
}

SnapshotResult loadSnapshot(const std::string& path, const std::vector<Override>& overrides) {
  auto loaded = load(path, overrides);
  if (!loaded.config) return SnapshotResult{nullptr, std::move(loaded.errors), {}};
  return buildSnapshot(loaded.config);
}

}  // namespace portcullis::config
