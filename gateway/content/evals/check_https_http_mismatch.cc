// check_https_http_mismatch(min, max) (HTTPSMismatch.pm): a link whose anchor text shows an
// https:// URL of another registered domain than the link's own http(s) host, in a part
// with at least `min` (default 1) and fewer than `max` such links. Links to IP addresses are
// HTTPS_IP_MISMATCH's business and are skipped.
#include "gateway/content/evals/html_evals.h"
#include "gateway/content/evals/html_facts.h"
#include "gateway/content/evals/registry_boundaries.h"

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

// The host after "<scheme>//" up to one of `stops`, or "" when there is none.
std::string_view hostAfter(std::string_view s, size_t at, std::string_view stops) {
  const size_t end = s.find_first_of(stops, at);
  return s.substr(at, (end == std::string_view::npos ? s.size() : end) - at);
}

// The link's registered domain (uri_to_domain on the trimmed host), or "" when the host is an
// IP address, not a valid host name, or not under a known TLD.
std::string linkDomain(std::string_view uri, const RegistryBoundaries& rb) {
  size_t at = startsWithNoCase(uri, 0, "https://")  ? 8
              : startsWithNoCase(uri, 0, "http://") ? 7
                                                    : 0;
  if (at == 0) return {};
  const std::string_view host = hostAfter(uri, at, "/:?#");
  if (host.empty() || RegistryBoundaries::isIpv4Address(host)) return {};
  const std::string trimmed = rb.trimDomain(host);
  if (trimmed.find('%') != std::string::npos) return {};  // left for the decoded variant
  if (!RegistryBoundaries::isFqdnValid(trimmed) || !rb.isDomainValid(trimmed)) return {};
  const std::string domain = rb.trimDomain(trimmed);
  return rb.isDomainValid(domain) ? domain : std::string();
}

// The domain of the first https:// URL in an anchor text: "" when none, or when it is not
// under a known TLD. An IP address is kept as written.
std::string shownDomain(std::string_view text, const RegistryBoundaries& rb) {
  for (size_t i = 0; i + 8 <= text.size(); ++i) {
    if (!startsWithNoCase(text, i, "https://")) continue;
    const std::string_view host = hostAfter(text, i + 8, " \t\n\r\f\v/:?#");
    if (host.empty()) continue;  // [^\s/:?#]+ needs one character
    if (RegistryBoundaries::isIpv4Address(host)) return std::string(host);
    std::string domain = rb.trimDomain(host);
    return rb.isDomainValid(domain) ? domain : std::string();
  }
  return {};
}

}  // namespace

int checkHttpsHttpMismatch(const EvalContext& context, const Args& args,
                           const RegistryBoundaries& rb) {
  // Perl's "$minanchors ||= 1": absent, "" and "0" all mean 1.
  double minAnchors = args.empty() ? 0 : perlNumber(args[0]);
  if (minAnchors == 0) minAnchors = 1;
  const bool bounded = args.size() > 1;
  const double maxAnchors = bounded ? perlNumber(args[1]) : 0;
  for (const auto& part : context.facts<HtmlFacts>().parts()) {
    bool hit = false;
    double anchors = 0;
    for (const auto& [uri, detail] : part.uris) {
      if (!detail.hasAnchorText || detail.anchorText.empty()) continue;
      const std::string domain = linkDomain(uri, rb);
      if (domain.empty()) continue;
      ++anchors;
      for (const auto& text : detail.anchorText) {
        const std::string shown = shownDomain(text, rb);
        if (shown.empty() || shown == domain) continue;
        hit = true;
        break;
      }
    }
    if (hit && anchors >= minAnchors && (!bounded || anchors < maxAnchors)) return 1;
  }
  return 0;
}

}  // namespace portcullis::content::evals
