// One message through a loaded rule set: the texts SpamAssassin's rules read, the relay path,
// the evals' context, and for network evals the DNS answers gathered before the scan. Kept on
// the heap while the lookups are in flight; everything a rule reads is computed once here.
#pragma once
#include <string_view>
#include <vector>

#include "gateway/content/content_rules_check.h"
#include "gateway/content/evals/dns_lookups.h"
#include "gateway/content/evals/eval_context.h"
#include "gateway/content/relays/relay_analysis.h"
#include "gateway/content/sa_text.h"

namespace portcullis::content {

class MessageScan {
 public:
  // `raw` and `message` must outlive the scan.
  MessageScan(const LoadedRules& loaded, std::string_view raw, const mime::Message& message,
              evals::Envelope envelope);
  MessageScan(const MessageScan&) = delete;
  MessageScan& operator=(const MessageScan&) = delete;

  // The DNS lookups the running network evals need (none without network tests).
  std::vector<evals::DnsLookup> lookups() const;
  void setDnsResults(evals::DnsResults results);
  rules::ScanResult run(bool explain = false);
  // The message's work budget ran out while the texts were built.
  bool outOfTime() const { return text_.outOfTime(); }

 private:
  LoadedRules loaded_;
  const mime::Message& message_;
  relays::RelayPath path_;
  SaMessageText text_;
  evals::EvalContext context_;
  evals::DnsResults dns_;
  bool haveDns_ = false;
};

}  // namespace portcullis::content
