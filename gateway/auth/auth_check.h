// The authentication check: SPF (MAIL FROM and HELO), DKIM, DMARC, at the end of DATA, turned
// into symbols, an Authentication-Results header and (for DMARC policies) a forced action.
//
// All DNS is asynchronous: SPF runs on a small worker pool (libspf2 blocks), DKIM keys and
// DMARC records are fetched through the resolver, and the verification and evaluation run back
// on the session's thread through CheckContext::post once every answer is in.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "gateway/auth/dkim.h"
#include "gateway/auth/spf.h"
#include "gateway/core/check.h"
#include "gateway/dns/resolver.h"

namespace portcullis::auth {

std::map<std::string, double> defaultAuthScores();

// What a DNS temperror (SPF, DKIM key, DMARC record) leads to. Never a reject.
enum class TempErrorAction { Neutral, Tempfail };

struct AuthSettings {
  bool enabled = true;
  std::string authservId;  // default: the gateway's host name
  bool spf = true, dkim = true, dmarc = true;
  core::Action dmarcRejectAction = core::Action::Reject;          // p=reject failures
  core::Action dmarcQuarantineAction = core::Action::Quarantine;  // p=quarantine failures
  TempErrorAction tempErrorAction = TempErrorAction::Neutral;
  std::map<std::string, double> scores = defaultAuthScores();  // symbol -> score
  DkimSettings dkimSettings;
  int spfWorkers = 4;
  std::function<int()> pctSample;  // 0..99 for DMARC pct=; random when empty
};

class AuthCheck final : public core::Check {
 public:
  AuthCheck(std::shared_ptr<dns::Resolver> resolver, AuthSettings settings, std::string hostname);
  ~AuthCheck() override;
  std::string_view name() const override { return "auth"; }
  core::Stage stage() const override { return core::Stage::Data; }
  void run(const core::CheckContext& ctx, core::StageOutcome& out,
           std::function<void()> done) const override;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace portcullis::auth
