// __FORGED_RCVD_TRAIL: more than one untrusted hop where the receiving host's domain is not the
// domain the next hop up said the message came from, i.e. the Received trail does not chain.
#include <optional>

#include "gateway/content/evals/relay_evals.h"
#include "gateway/content/evals/relay_pattern.h"

namespace portcullis::content::evals {
namespace {

bool hasLetter(std::string_view s) {
  for (char c : s)
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return false;
}

// RelayEval.pm hostname_to_domain: a crude registered domain (the last two labels when the
// top-level one looks generic, else the last three); addresses and one-label names unchanged.
std::string hostnameToDomain(const std::string& host) {
  if (!hasLetter(host)) return host;
  // Perl's split(/\./): leading empty fields stay, trailing ones go.
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t dot = host.find('.', start);
    parts.push_back(host.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  while (!parts.empty() && parts.back().empty()) parts.pop_back();
  auto joinLast = [&](size_t n) {
    std::string out;
    for (size_t i = parts.size() - n; i < parts.size(); ++i)
      out += (i > parts.size() - n ? "." : "") + parts[i];
    return out;
  };
  static const RelayPattern genericTop(R"((?:\S{3,}|ie|fr|de))");
  if (parts.size() > 1 && genericTop.search(parts.back())) return joinLast(2);
  if (parts.size() > 2) return joinLast(3);
  return host;
}

bool looksLikeDomain(std::string_view s) {
  static const RelayPattern domain(R"(^\w+(?:[\w.-]+\.)+\w+$)");
  return domain.search(s);
}

}  // namespace

int checkForForgedReceivedTrail(const EvalContext& ctx, const EvalArgs& /*args*/) {
  const auto& untrusted = ctx.relays().untrusted;
  // The domain each hop claims to have received the message from (nullopt: not a claim).
  std::vector<std::optional<std::string>> from;
  int mismatches = 0;
  for (size_t i = 0; i < untrusted.size(); ++i) {
    const auto& relay = untrusted[i];
    std::string by = hostnameToDomain(relay.lcBy);
    std::optional<std::string> source = hostnameToDomain(relay.lcRdns);
    // Bouncing around inside one machine through the loopback interface is no forgery.
    static const RelayPattern localhost(R"(^localhost(?:\.localdomain)?$)");
    if (localhost.search(*source) && relay.ip == "127.0.0.1") source.reset();
    from.push_back(source);
    if (!looksLikeDomain(by)) continue;
    if (i == 0) continue;
    const auto& previous = from[i - 1];
    // Hotmail hands mail to msn.com hosts under a hotmail.com name.
    bool welcomelisted = by == "msn.com" && previous && *previous == "hotmail.com";
    if (previous && looksLikeDomain(*previous) && by != *previous && !welcomelisted) ++mismatches;
  }
  return mismatches > 1 ? 1 : 0;
}

}  // namespace portcullis::content::evals
