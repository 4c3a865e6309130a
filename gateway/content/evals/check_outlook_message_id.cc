// check_outlook_message_id (HeaderEval.pm): an Outlook-style Message-ID
// (<xxxxTTTTTTTT$xxxxxxxx$xxxxxxxx@...>) whose time token matches neither the Date nor the
// Received date (MSGID_OUTLOOK_INVALID): ratware that copies the format, not the clock.
#include <cmath>
#include <cstdint>

#include "gateway/content/evals/header_evals.h"
#include "gateway/content/evals/rfc822_date.h"

namespace portcullis::content::evals {
namespace {

bool isLowerHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

bool hexRun(std::string_view s, size_t at, size_t n) {
  if (at + n > s.size()) return false;
  for (size_t i = at; i < at + n; ++i)
    if (!isLowerHex(s[i])) return false;
  return true;
}

// /^<[0-9a-f]{4}([0-9a-f]{8})\$[0-9a-f]{8}\$[0-9a-f]{8}\@/: the time token, if the ID has it.
std::optional<int64_t> outlookTimeToken(std::string_view id) {
  if (id.empty() || id[0] != '<' || !hexRun(id, 1, 12) || id.size() < 32) return std::nullopt;
  if (id[13] != '$' || !hexRun(id, 14, 8) || id[22] != '$' || !hexRun(id, 23, 8) || id[31] != '@')
    return std::nullopt;
  return std::stoll(std::string(id.substr(5, 8)), nullptr, 16);
}

int64_t expectedToken(std::string_view date) {
  // Outlook's token ticks about every 430 seconds from a fixed origin.
  const double perSecond = 0.0023283064365387;
  const double origin = 27111902.8329849;
  double t = static_cast<double>(parseRfc822Date(date).value_or(0));
  return static_cast<int64_t>(t * perSecond + origin);
}

}  // namespace

int checkOutlookMessageId(const EvalContext& ctx, const EvalArgs& /*args*/) {
  auto token = outlookTimeToken(ctx.get("MESSAGEID"));
  if (!token) return 0;
  const int64_t fudge = 250;
  if (std::llabs(*token - expectedToken(ctx.get("Date"))) < fudge) return 0;
  // SpamAssassin parses the Received headers together, so the first date in any of them.
  return std::llabs(*token - expectedToken(ctx.get("Received"))) >= fudge ? 1 : 0;
}

}  // namespace portcullis::content::evals
