#include "gateway/content/evals/eval_registry.h"

namespace portcullis::content::evals {

void EvalRegistry::add(std::string name, EvalFunction run, bool network) {
  entries_[std::move(name)] = EvalEntry{std::move(run), network, {}};
}

void EvalRegistry::addNetwork(std::string name, EvalFunction run, EvalPlanner plan) {
  entries_[std::move(name)] = EvalEntry{std::move(run), true, std::move(plan)};
}

const EvalEntry* EvalRegistry::find(std::string_view name) const {
  auto it = entries_.find(name);
  return it == entries_.end() ? nullptr : &it->second;
}

rules::EvalKind EvalRegistry::kind(const rules::EvalCall& call) const {
  const EvalEntry* e = find(call.function);
  if (!e) return rules::EvalKind::Missing;
  return e->network ? rules::EvalKind::Network : rules::EvalKind::Local;
}

std::vector<std::string> EvalRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, entry] : entries_) out.push_back(name);
  return out;
}

std::shared_ptr<const EvalRegistry> buildEvalRegistry(const EvalSettings& settings) {
  auto registry = std::make_shared<EvalRegistry>();
  registerHtmlEvals(*registry, settings);
  registerMimeEvals(*registry, settings);
  registerBodyEvals(*registry, settings);
  registerHeaderEvals(*registry, settings);
  registerRelayEvals(*registry, settings);
  registerFreemailEvals(*registry, settings);
  registerListEvals(*registry, settings);
  registerImageEvals(*registry, settings);
  registerDnsEvals(*registry, settings);
  registerAuthEvals(*registry, settings);
  return registry;
}

int MessageEvals::run(const rules::Rule& rule) const {
  const EvalEntry* e = registry_.find(rule.eval.function);
  return e ? e->run(context_, rule.eval.args) : 0;
}

}  // namespace portcullis::content::evals
