// Every eval function Portcullis implements, under SpamAssassin's name. A registry is built
// for each rule set (some functions read the rule files' settings) and answers the engine's
// two questions: does this function exist (EvalCatalog), and did this rule hit (EvalScope,
// one per message).
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/content/evals/dns_lookups.h"
#include "gateway/content/evals/eval_context.h"
#include "rules/engine/eval.h"

namespace portcullis::content::evals {

// The arguments as the rule wrote them (quotes removed). Returns the hit count (0: no hit).
// Bad arguments are not an error at run time: the function returns 0.
using EvalFunction = std::function<int(const EvalContext&, const std::vector<std::string>& args)>;
// A network eval's first step: the DNS lookups it will read the answers of (dns_lookups.h).
using EvalPlanner = std::function<void(const EvalContext&, const rules::Rule& rule,
                                       std::vector<DnsLookup>& lookups)>;

struct EvalEntry {
  EvalFunction run;
  bool network = false;
  EvalPlanner plan;  // network evals that look something up
};

class EvalRegistry final : public rules::EvalCatalog {
 public:
  void add(std::string name, EvalFunction run, bool network = false);
  void addNetwork(std::string name, EvalFunction run, EvalPlanner plan);
  const EvalEntry* find(std::string_view name) const;
  rules::EvalKind kind(const rules::EvalCall& call) const override;
  std::vector<std::string> names() const;

 private:
  std::map<std::string, EvalEntry, std::less<>> entries_;
};

// All of them, configured by the rule files' settings.
std::shared_ptr<const EvalRegistry> buildEvalRegistry(const EvalSettings& settings);

// One message's evals for the engine.
class MessageEvals final : public rules::EvalScope {
 public:
  MessageEvals(const EvalRegistry& registry, const EvalContext& context)
      : registry_(registry), context_(context) {}
  int run(const rules::Rule& rule) const override;

 private:
  const EvalRegistry& registry_;
  const EvalContext& context_;
};

// Each family registers its functions (one file per family, one file per function).
void registerHtmlEvals(EvalRegistry& registry, const EvalSettings& settings);
void registerMimeEvals(EvalRegistry& registry, const EvalSettings& settings);
void registerBodyEvals(EvalRegistry& registry, const EvalSettings& settings);
void registerHeaderEvals(EvalRegistry& registry, const EvalSettings& settings);
void registerRelayEvals(EvalRegistry& registry, const EvalSettings& settings);
void registerFreemailEvals(EvalRegistry& registry, const EvalSettings& settings);
void registerListEvals(EvalRegistry& registry, const EvalSettings& settings);
void registerImageEvals(EvalRegistry& registry, const EvalSettings& settings);
void registerDnsEvals(EvalRegistry& registry, const EvalSettings& settings);
void registerAuthEvals(EvalRegistry& registry, const EvalSettings& settings);

}  // namespace portcullis::content::evals
