// __FORGED_JUNO_RCVD: From is @juno.com but the Received headers, X-Originating-IP and
// X-Mailer do not match any way Juno's servers write them.
#include "gateway/content/evals/relay_envelope_from.h"
#include "gateway/content/evals/relay_evals.h"
#include "gateway/content/evals/relay_pattern.h"

namespace portcullis::content::evals {

int checkForForgedJunoReceivedHeaders(const EvalContext& ctx, const EvalArgs& /*args*/) {
  static const RelayPattern junoAddress(R"(\bjuno\.com$)", true);
  if (!junoAddress.search(firstAddress(ctx, "From"))) return 0;
  if (gatedThroughReceivedHdrRemover(ctx, {})) return 0;

  std::string originatingIp = ctx.get("X-Originating-IP");
  std::string mailer = ctx.get("X-Mailer");
  std::string received = ctx.get("Received");
  static const RelayPattern ipAddress(kSaIpAddress);

  if (!originatingIp.empty()) {
    // Old-style Juno: its relays in Received, and its client in X-Mailer.
    static const RelayPattern junoRelay(R"(from.*\b(?:juno|untd)\.com.*[\[\(])" + kSaIpAddress +
                                        R"([\]\)].*by)");
    static const RelayPattern cookie(R"( cookie\.(?:juno|untd)\.com )");
    if (!junoRelay.search(received) && !cookie.search(received)) return 1;
    if (mailer.find("Juno ") == std::string::npos) return 1;
  } else {
    // New-style Juno has no X-Originating-IP - so this test always ends in a hit, as in
    // HeaderEval.pm, whose last check asks the empty header for an address.
    static const RelayPattern mailCom(R"(from.*\bmail\.com.*\[)" + kSaIpAddress + R"(\].*by)");
    static const RelayPattern webmail(R"(from (webmail\S+\.untd\.com) \(\1 \[)" + kSaIpAddress +
                                      R"(\]\) by)");
    static const RelayPattern mailComMailer(R"(\bmail\.com)");
    static const RelayPattern webmailMailer(R"(^Webmail Version \d)");
    if (mailCom.search(received)) {
      if (!mailComMailer.search(mailer)) return 1;
    } else if (webmail.search(received)) {
      if (!webmailMailer.search(mailer)) return 1;
    } else {
      return 1;
    }
    if (!ipAddress.search(originatingIp)) return 1;
  }
  return 0;
}

}  // namespace portcullis::content::evals
