// SpamAssassin's relay eval functions (RelayEval.pm, and the Received-based ones of
// HeaderEval.pm, WLBLEval.pm and VBounce.pm): the list of those implemented, one file each.
#include "gateway/content/evals/relay_evals.h"

#include <memory>

#include "gateway/content/evals/eval_registry.h"

namespace portcullis::content::evals {

void registerRelayEvals(EvalRegistry& registry, const EvalSettings& settings) {
  registry.add("check_all_trusted", checkAllTrusted);
  registry.add("check_no_relays", checkNoRelays);
  registry.add("check_relays_unparseable", checkRelaysUnparseable);
  registry.add("helo_ip_mismatch", heloIpMismatch);
  registry.add("check_for_forged_received_trail", checkForForgedReceivedTrail);
  registry.add("check_for_no_rdns_dotcom_helo", checkForNoRdnsDotcomHelo);
  registry.add("check_for_numeric_helo", checkForNumericHelo);
  registry.add("check_for_sender_no_reverse", checkForSenderNoReverse);

  registry.add("check_for_fake_aol_relay_in_rcvd", checkForFakeAolRelayInRcvd);
  registry.add("gated_through_received_hdr_remover", gatedThroughReceivedHdrRemover);
  registry.add("check_for_forged_hotmail_received_headers", checkForForgedHotmailReceivedHeaders);
  registry.add("check_for_no_hotmail_received_headers", checkForNoHotmailReceivedHeaders);
  registry.add("check_for_forged_eudoramail_received_headers",
               checkForForgedEudoramailReceivedHeaders);
  registry.add("check_for_forged_yahoo_received_headers", checkForForgedYahooReceivedHeaders);
  registry.add("check_for_forged_juno_received_headers", checkForForgedJunoReceivedHeaders);
  registry.add("check_for_forged_gmail_received_headers", checkForForgedGmailReceivedHeaders);
  registry.add("check_for_matching_env_and_hdr_from", checkForMatchingEnvAndHdrFrom);

  auto boundaries = std::make_shared<const DomainBoundaries>(settings);
  registry.add("check_mailfrom_matches_rcvd",
               [boundaries](const EvalContext& ctx, const EvalArgs&) {
                 return checkMailfromMatchesRcvd(ctx, *boundaries);
               });

  auto bounceRelays = std::make_shared<const BounceRelays>(settings);
  registry.add("have_any_bounce_relays", [bounceRelays](const EvalContext&, const EvalArgs&) {
    return haveAnyBounceRelays(*bounceRelays);
  });
  auto welcomelistBounceRelays = [bounceRelays](const EvalContext& ctx, const EvalArgs&) {
    return checkWelcomelistBounceRelays(ctx, *bounceRelays);
  };
  registry.add("check_welcomelist_bounce_relays", welcomelistBounceRelays);
  // SpamAssassin 4.0's old name, removed in 4.1.
  registry.add("check_whitelist_bounce_relays", welcomelistBounceRelays);
}

}  // namespace portcullis::content::evals
