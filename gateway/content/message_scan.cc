#include "gateway/content/message_scan.h"

namespace portcullis::content {
namespace {

const evals::EvalSettings& settingsOf(const LoadedRules& loaded) {
  static const evals::EvalSettings none;
  return loaded.settings ? *loaded.settings : none;
}

}  // namespace

MessageScan::MessageScan(const LoadedRules& loaded, std::string_view raw,
                         const mime::Message& message, evals::Envelope envelope)
    : loaded_(loaded),
      message_(message),
      text_(raw, message, envelope.mailFrom),
      context_(raw, message, text_, path_, settingsOf(loaded), std::move(envelope)) {}

std::vector<evals::DnsLookup> MessageScan::lookups() const {
  std::vector<evals::DnsLookup> out;
  if (!loaded_.rules || !loaded_.evals) return out;
  const auto& all = loaded_.rules->rules();
  for (size_t i = 0; i < all.size(); ++i) {
    if (loaded_.rules->path(i) != rules::MatchPath::Eval) continue;
    const evals::EvalEntry* e = loaded_.evals->find(all[i].eval.function);
    if (e && e->plan) e->plan(context_, all[i], out);
  }
  return out;
}

void MessageScan::setDnsResults(evals::DnsResults results) {
  dns_ = std::move(results);
  haveDns_ = true;
  context_.setDns(&dns_);
}

rules::ScanResult MessageScan::run(bool explain) {
  std::optional<evals::MessageEvals> scope;
  if (loaded_.evals) scope.emplace(*loaded_.evals, context_);
  const mime::Message& message = message_;
  return loaded_.rules->scan(
      text_, explain, [&message] { return message.budget.exhausted(); }, scope ? &*scope : nullptr);
}

}  // namespace portcullis::content
