#include "gateway/core/headers.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "gateway/core/text.h"

namespace portcullis::core {

std::string formatHeader(const HeaderField& h) {
  const std::string value = withoutControls(h.second);
  std::string out = withoutControls(h.first) + ":";
  const size_t nameCol = out.size();
  size_t col = nameCol;
  size_t pos = 0;
  while (pos <= value.size()) {
    size_t sp = value.find(' ', pos);
    if (sp == std::string::npos) sp = value.size();
    std::string_view word(value.data() + pos, sp - pos);
    if (col > nameCol && col + 1 + word.size() > 78) {
      out += "\r\n\t";
      col = 8;
    } else {
      out += ' ';
      ++col;
    }
    out += word;
    col += word.size();
    pos = sp + 1;
  }
  out += "\r\n";
  return out;
}

std::string rfc5322Date(std::chrono::system_clock::time_point when) {
  std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000 (UTC)", &tm);
  return buf;
}

namespace {

// Client-supplied text (HELO names, DNS names, addresses) in the Received field: only
// characters that can neither open nor close a comment, a quoted string or an angle address,
// nor end the clause list (';'), nor fold the line. The rest become '?': a trace is for
// reading, and a HELO such as `x(by y);` must not write clauses of its own.
std::string traceSafe(std::string_view text, std::string_view alsoAllowed) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_' ||
                    alsoAllowed.find(static_cast<char>(c)) != std::string_view::npos;
    out += ok ? static_cast<char>(c) : '?';
  }
  return out;
}

}  // namespace

std::string receivedHeader(const SessionInfo& s, const Transaction& tx, std::string_view hostname,
                           std::chrono::system_clock::time_point when) {
  std::string proto = tx.smtputf8 ? "UTF8SMTP" : (s.esmtp ? "ESMTP" : "SMTP");
  if (s.tls.active) proto += "S";
  // The brackets and colons of an address literal ([192.0.2.1], [IPv6:2001:db8::1]).
  std::string v = "from " + (s.helo.empty() ? std::string("unknown") : traceSafe(s.helo, "[]:")) +
                  " (" + traceSafe(s.clientName, "") + " [" + s.clientAddressText() + "])";
  if (s.tls.active) v += " (using " + s.tls.version + " with cipher " + s.tls.cipher + ")";
  v += " by " + std::string(hostname) + " (Portcullis) with " + proto + " id " + tx.id;
  // The local part may be anything an RFC 5321 quoted string allows; what is not a plain
  // address character is shown as '?' here (the envelope itself is untouched).
  if (tx.recipients.size() == 1)
    v += " for <" + traceSafe(tx.recipients.front().address.str(), "@+=!#$%&'*/^`{|}~") + ">";
  v += "; " + rfc5322Date(when);
  return formatHeader({"Received", v});
}

namespace {
std::string oneDecimal(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%2.1f", x);
  return buf;
}
}  // namespace

// SpamAssassin's own form (Conf.pm's default "add_header all Status", PerMsgStatus.pm's
// _SCORE_, _REQD_ and _TESTS_ tags), so that whatever reads SpamAssassin's headers reads ours:
// scores with sprintf("%2.1f"), test names sorted, and a message that is not spam never shows a
// score at or above the required one (Util.pm get_tag_value_for_score). SpamAssassin's trailing
// autolearn= and version= are left out: there is no autolearning here, and version= names
// SpamAssassin's version.
std::vector<HeaderField> verdictHeaders(const Verdict& v, const Decision& d, const Thresholds& t) {
  const bool spam = d.action != Action::Accept;
  std::string score = oneDecimal(v.score());
  std::string status = std::string(spam ? "Yes" : "No");
  if (t.addHeaders) {
    const std::string required = oneDecimal(*t.addHeaders);
    if (!spam && std::strtod(score.c_str(), nullptr) >= std::strtod(required.c_str(), nullptr))
      score = oneDecimal(std::strtod(required.c_str(), nullptr) - 0.1);
    status += ", score=" + score + " required=" + required;
  } else {
    status += ", score=" + score;
  }
  std::vector<std::string> names;
  for (const auto& s : v.symbols()) names.push_back(s.name);
  std::sort(names.begin(), names.end());
  std::string tests;
  for (const auto& n : names) tests += (tests.empty() ? "" : ",") + n;
  status += " tests=" + (tests.empty() ? std::string("none") : tests);
  std::vector<HeaderField> out;
  out.push_back({"X-Spam-Status", status});
  out.push_back({"X-Spam-Score", score});
  if (spam) out.push_back({"X-Spam-Flag", "YES"});
  out.push_back({"X-Portcullis-Action", std::string(actionName(d.action))});
  if (!v.symbols().empty()) out.push_back({"X-Portcullis-Symbols", v.symbolList()});
  return out;
}

}  // namespace portcullis::core
