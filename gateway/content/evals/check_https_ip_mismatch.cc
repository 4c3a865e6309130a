// check_https_ip_mismatch() (URIEval.pm): a link to http(s)://<IPv4 address> whose anchor
// text shows an https: URL that is not itself an https://<IPv4 address> one.
#include "gateway/content/evals/html_evals.h"
#include "gateway/content/evals/html_facts.h"

namespace portcullis::content::evals {

namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool startsWithNoCase(std::string_view s, size_t at, std::string_view prefix) {
  if (s.size() < at || s.size() - at < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (lower(s[at + i]) != prefix[i]) return false;
  return true;
}

// m%^<scheme>:/*(?:[^\@/]+\@)?\d+\.\d+\.\d+\.\d+%i, with <scheme> "https?" or "https".
bool schemeThenIp(std::string_view s, bool httpAllowed) {
  size_t i = 0;
  if (startsWithNoCase(s, 0, "https:"))
    i = 6;
  else if (httpAllowed && startsWithNoCase(s, 0, "http:"))
    i = 5;
  else
    return false;
  while (i < s.size() && s[i] == '/') ++i;
  auto ipAt = [&s](size_t at) {
    for (int k = 0; k < 4; ++k) {
      if (k > 0) {
        if (at >= s.size() || s[at] != '.') return false;
        ++at;
      }
      const size_t start = at;
      while (at < s.size() && s[at] >= '0' && s[at] <= '9') ++at;
      if (at == start) return false;
    }
    return true;
  };
  if (ipAt(i)) return true;
  // an optional user@ (no '/' or '@' in it) before the address
  size_t at = s.find_first_of("@/", i);
  return at != std::string_view::npos && at > i && s[at] == '@' && ipAt(at + 1);
}

bool containsHttps(std::string_view s) {
  for (size_t i = 0; i + 6 <= s.size(); ++i)
    if (startsWithNoCase(s, i, "https:")) return true;
  return false;
}

}  // namespace

int checkHttpsIpMismatch(const EvalContext& context, const Args& /*args*/) {
  for (const auto& part : context.facts<HtmlFacts>().parts())
    for (const auto& [uri, detail] : part.uris) {
      if (!schemeThenIp(uri, true)) continue;
      for (const auto& text : detail.anchorText)
        if (!schemeThenIp(text, false) && containsHttps(text)) return 1;
    }
  return 0;
}

}  // namespace portcullis::content::evals
