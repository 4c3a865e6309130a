// FreeMail.pm's configuration, parsed once per rule set: the freemail_domains (exact and
// wildcard), freemail_welcomelist, the body limits, and the e-mail address pattern it builds
// over the valid TLDs (util_rb_tld). Answers FreeMail's one question: is this address at a
// free mail provider?
#pragma once
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "gateway/content/evals/eval_settings.h"
#include "gateway/content/evals/pcre_pattern.h"

namespace portcullis::content::evals {

class FreemailConfig {
 public:
  explicit FreemailConfig(const EvalSettings& settings);

  // No freemail_domains at all: SpamAssassin disables the plugin, every test is a miss.
  bool available() const { return !domains_.empty() || wildcard_ != nullptr; }
  // `email` lower-cased (FreeMail.pm _is_freemail).
  bool isFreemail(std::string_view email) const;
  // FreeMail's e-mail address pattern (group 1 is the address); null without TLDs.
  const PcrePattern* emailPattern() const { return email_.get(); }
  // An address labelled like a field ("a@example.com web:", "<a@example.com>"), not after
  // "mailto:" and not labelled as a contact (fax, tel, phone, e-mail): removed from the body
  // before its addresses are collected.
  const PcrePattern* labelledEmailPattern() const { return labelledEmail_.get(); }
  // An envelope sender that looks like a list or bounce address (freemail_skip_bulk_envfrom).
  bool looksBulk(std::string_view envelopeFrom) const;
  bool skipBulkEnvelopeFrom() const { return skipBulkEnvfrom_; }

  long maxBodyEmails() const { return maxBodyEmails_; }
  long maxBodyFreemails() const { return maxBodyFreemails_; }
  bool skipWhenOverMax() const { return skipWhenOverMax_; }

 private:
  std::set<std::string, std::less<>> domains_;
  std::unique_ptr<PcrePattern> wildcard_;  // \@(?:dom|dom)$ over the wildcard entries
  std::set<std::string, std::less<>> welcomelist_;
  std::unique_ptr<PcrePattern> email_;
  std::unique_ptr<PcrePattern> labelledEmail_;
  std::unique_ptr<PcrePattern> defaultWelcomelist_;
  std::unique_ptr<PcrePattern> bulkEnvfrom_;
  long maxBodyEmails_ = 5;
  long maxBodyFreemails_ = 3;
  bool skipWhenOverMax_ = true;
  bool skipBulkEnvfrom_ = true;
};

}  // namespace portcullis::content::evals
