// FORGED_YAHOO_RCVD: From is @yahoo.com but neither the relays nor the Received headers show
// any of the ways Yahoo's own servers hand mail on.
#include "gateway/content/evals/relay_envelope_from.h"
#include "gateway/content/evals/relay_evals.h"
#include "gateway/content/evals/relay_pattern.h"

namespace portcullis::content::evals {
namespace {

// / rdns=\S+\.yahoo\.com / against a relay written out as text: at least one character before
// ".yahoo.com", which ends the name.
bool yahooRdns(const relays::Relay& relay) {
  constexpr std::string_view suffix = ".yahoo.com";
  return relay.rdns.size() > suffix.size() && relay.rdns.ends_with(suffix);
}

}  // namespace

int checkForForgedYahooReceivedHeaders(const EvalContext& ctx, const EvalArgs& /*args*/) {
  static const RelayPattern yahooAddress(R"(\byahoo\.com$)", true);
  std::string from = firstAddress(ctx, "From");
  if (!yahooAddress.search(from)) return 0;

  std::string received = ctx.get("Received");
  // A message resent by its recipient: Yahoo's own hops are in X-Received.
  if (!ctx.get("Resent-From").empty() && !ctx.get("Resent-To").empty()) {
    std::string xReceived = ctx.get("X-Received");
    if (!xReceived.empty()) received = xReceived;
  }
  received = squashWhitespace(received);

  if (gatedThroughReceivedHdrRemover(ctx, {})) return 0;

  // Bounces from Yahoo: believed only when Yahoo's rDNS is on a trusted relay or on the first
  // untrusted one.
  const auto& path = ctx.relays();
  for (const auto& relay : path.trusted)
    if (yahooRdns(relay)) return 0;
  if (!path.untrusted.empty() && yahooRdns(path.untrusted.front())) return 0;

  static const RelayPattern webMail(R"(by web\S+\.mail\S*\.yahoo\.com via HTTP)");
  static const RelayPattern sonic(R"(by sonic\S+\.consmr\.mail\S*\.yahoo\.com with HTTP)");
  static const RelayPattern smtp(R"(by smtp\S+\.yahoo\.com with SMTP)");
  static const RelayPattern groups(R"(from \[)" + kSaIpAddress +
                                   R"(\] by \S+\.(?:groups|scd|dcn)\.yahoo\.com with NNFMP)");
  if (webMail.search(received) || sonic.search(received) || smtp.search(received) ||
      groups.search(received))
    return 0;

  // "Forward this news item to a friend".
  static const RelayPattern bulk(R"(\bmailer\d+\.bulk\.scd\.yahoo\.com\b)");
  static const RelayPattern replyAddress(R"(\@reply\.yahoo\.com$)", true);
  if (bulk.search(received) && replyAddress.search(from)) return 0;

  // Possibly "mail this story to a friend".
  static const RelayPattern storyMailer(
      R"(by \w+\.\w+\.yahoo\.com \(\d+\.\d+\.\d+/\d+\.\d+\.\d+\)(?: with ESMTP)? id \w+)");
  if (storyMailer.search(received)) return 0;
  return 1;
}

}  // namespace portcullis::content::evals
