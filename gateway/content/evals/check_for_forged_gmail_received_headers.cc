// FORGED_GMAIL_RCVD: From is @gmail.com but none of the marks Gmail's servers leave is there
// (its internal X-Received hop, its submission host, or full-length X-Gm-Message-State and
// X-Google-Smtp-Source headers).
#include "gateway/content/evals/relay_envelope_from.h"
#include "gateway/content/evals/relay_evals.h"
#include "gateway/content/evals/relay_pattern.h"

namespace portcullis::content::evals {

int checkForForgedGmailReceivedHeaders(const EvalContext& ctx, const EvalArgs& /*args*/) {
  // Shorter values than these are not what Google writes.
  constexpr size_t kMessageStateLengthMin = 60;
  constexpr size_t kSmtpSourceLengthMin = 60;

  static const RelayPattern gmailAddress(R"(\bgmail\.com$)", true);
  if (!gmailAddress.search(firstAddress(ctx, "From"))) return 0;

  static const RelayPattern internalHop(R"(by 10\.\S+ with SMTP id \S+)");
  static const RelayPattern internalHop6(R"(by 2002\:a\d\d\:\w+\:\S+ with SMTP id \S+)");
  static const RelayPattern submission(R"(by smtp\.googlemail\.com with ESMTPSA id \S+)");
  std::string xReceived = ctx.get("X-Received");
  if (internalHop.search(xReceived) || internalHop6.search(xReceived)) return 0;
  if (submission.search(ctx.get("Received"))) return 0;
  if (ctx.get("X-Gm-Message-State").size() >= kMessageStateLengthMin &&
      ctx.get("X-Google-Smtp-Source").size() >= kSmtpSourceLengthMin)
    return 0;
  return 1;
}

}  // namespace portcullis::content::evals
