// SpamAssassin's eval functions that read the relay path or the Received headers
// (RelayEval.pm, the Received-based part of HeaderEval.pm, WLBLEval's
// check_mailfrom_matches_rcvd and VBounce.pm), one file each, under SpamAssassin's names.
#pragma once
#include <string>
#include <vector>

#include "gateway/content/evals/domain_boundaries.h"
#include "gateway/content/evals/eval_context.h"

namespace portcullis::content::evals {

using EvalArgs = std::vector<std::string>;

// RelayEval.pm
int checkAllTrusted(const EvalContext& ctx, const EvalArgs& args);
int checkNoRelays(const EvalContext& ctx, const EvalArgs& args);
int checkRelaysUnparseable(const EvalContext& ctx, const EvalArgs& args);
int heloIpMismatch(const EvalContext& ctx, const EvalArgs& args);
int checkForForgedReceivedTrail(const EvalContext& ctx, const EvalArgs& args);
int checkForNoRdnsDotcomHelo(const EvalContext& ctx, const EvalArgs& args);
int checkForNumericHelo(const EvalContext& ctx, const EvalArgs& args);
int checkForSenderNoReverse(const EvalContext& ctx, const EvalArgs& args);

// HeaderEval.pm
int checkForFakeAolRelayInRcvd(const EvalContext& ctx, const EvalArgs& args);
int gatedThroughReceivedHdrRemover(const EvalContext& ctx, const EvalArgs& args);
int checkForForgedHotmailReceivedHeaders(const EvalContext& ctx, const EvalArgs& args);
int checkForNoHotmailReceivedHeaders(const EvalContext& ctx, const EvalArgs& args);
int checkForForgedEudoramailReceivedHeaders(const EvalContext& ctx, const EvalArgs& args);
int checkForForgedYahooReceivedHeaders(const EvalContext& ctx, const EvalArgs& args);
int checkForForgedJunoReceivedHeaders(const EvalContext& ctx, const EvalArgs& args);
int checkForForgedGmailReceivedHeaders(const EvalContext& ctx, const EvalArgs& args);
int checkForMatchingEnvAndHdrFrom(const EvalContext& ctx, const EvalArgs& args);

// WLBLEval.pm: does the envelope sender's registered domain match the first untrusted
// relay's (or, with none, any trusted relay's) reverse DNS?
int checkMailfromMatchesRcvd(const EvalContext& ctx, const DomainBoundaries& boundaries);

// VBounce.pm: the welcomelist_bounce_relays patterns (whitelist_bounce_relays too), lower-cased
// globs.
struct BounceRelays {
  explicit BounceRelays(const EvalSettings& settings);
  bool matches(std::string_view host) const;
  std::vector<std::string> globs;
};
int haveAnyBounceRelays(const BounceRelays& relays);
int checkWelcomelistBounceRelays(const EvalContext& ctx, const BounceRelays& relays);

}  // namespace portcullis::content::evals
