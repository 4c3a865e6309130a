#include "gateway/content/evals/registry_boundaries.h"

#include <algorithm>
#include <array>
#include <vector>

namespace portcullis::content::evals {

namespace {

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::vector<std::string> labels(std::string_view s) {
  std::vector<std::string> out;
  size_t at = 0;
  while (true) {
    size_t dot = s.find('.', at);
    out.emplace_back(s.substr(at, dot == std::string_view::npos ? dot : dot - at));
    if (dot == std::string_view::npos) break;
    at = dot + 1;
  }
  return out;
}

bool usState(std::string_view s) {
  // RegistryBoundaries.pm's %US_STATES (RFC 1480 locality names).
  static constexpr std::array<std::string_view, 54> kStates = {
      "ak", "al", "ar", "az", "ca", "co", "ct", "dc", "de", "fl", "ga", "gu", "hi", "ia",
      "id", "il", "in", "ks", "ky", "la", "ma", "md", "me", "mi", "mn", "mo", "ms", "mt",
      "nc", "nd", "ne", "nh", "nj", "nm", "nv", "ny", "oh", "ok", "or", "pa", "pr", "ri",
      "sc", "sd", "tn", "tx", "ut", "va", "vi", "vt", "wa", "wi", "wv", "wy"};
  return std::find(kStates.begin(), kStates.end(), s) != kStates.end();
}

std::string joined(const std::vector<std::string>& parts, size_t from) {
  std::string out;
  for (size_t i = from; i < parts.size(); ++i) {
    if (i > from) out += '.';
    out += parts[i];
  }
  return out;
}

}  // namespace

RegistryBoundaries::RegistryBoundaries(const EvalSettings& settings) {
  for (const auto& w : settings.words("util_rb_tld")) tlds_.insert(lowered(w));
  for (const auto& w : settings.words("util_rb_2tld")) twoLevel_.insert(lowered(w));
  for (const auto& w : settings.words("util_rb_3tld")) threeLevel_.insert(lowered(w));
}

std::string RegistryBoundaries::trimDomain(std::string_view host) const {
  std::string domain;
  for (char c : lowered(host))  // www..example.com -> www.example.com
    if (!(c == '.' && !domain.empty() && domain.back() == '.')) domain += c;
  while (!domain.empty() && domain.front() == '.') domain.erase(0, 1);
  while (!domain.empty() && domain.back() == '.') domain.pop_back();
  if (domain.empty()) return domain;
  std::vector<std::string> parts = labels(domain);
  size_t first = 0;  // parts[first..] is the domain; the labels before it, the host name
  while (parts.size() - first > 1) {
    const size_t n = parts.size() - first;
    if (n == 2) {
      if (twoLevel_.count(joined(parts, first))) break;
    } else if (n == 3) {
      if (parts[first + 2] == "us") {
        if (usState(parts[first + 1])) break;
      } else if (threeLevel_.count(joined(parts, first))) {
        break;
      }
    } else if (n == 4) {
      if (parts[first + 3] == "us" &&
          ((parts[first] == "pvt" && parts[first + 1] == "k12") || parts[first] == "ci" ||
           parts[first] == "co") &&
          usState(parts[first + 2]))
        break;
    }
    ++first;
  }
  if (first > 0) --first;  // the registered name is the label before the public suffix
  return joined(parts, first);
}

bool RegistryBoundaries::isDomainValid(std::string_view domain) const {
  const std::string d = lowered(domain);
  if (std::any_of(d.begin(), d.end(), [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
      }))
    return false;
  const size_t dot = d.rfind('.');
  if (dot == std::string::npos || dot + 1 == d.size()) return false;
  return tlds_.count(d.substr(dot + 1)) > 0;
}

bool RegistryBoundaries::isFqdnValid(std::string_view hostIn) {
  std::string host = lowered(hostIn);
  while (!host.empty() && host.back() == '.') host.pop_back();
  if (host.size() > 253) return false;
  std::vector<std::string> parts = labels(host);
  size_t count = parts.size();
  if (count < 2) return false;
  for (const auto& label : parts) {
    if (label.empty() || label.size() > 63) return false;
    auto ok = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; };
    if (!ok(label.front()) || !ok(label.back())) return false;
    if (!std::all_of(label.begin(), label.end(), [&](char c) { return ok(c) || c == '-'; }))
      return false;
    if (count <= 2 && label.find('_') != std::string::npos) return false;
    --count;
  }
  return true;
}

bool RegistryBoundaries::isIpv4Address(std::string_view host) {
  std::vector<std::string> parts = labels(host);
  if (parts.size() != 4) return false;
  for (const auto& p : parts) {
    if (p.empty() || p.size() > 3 || (p.size() > 1 && p[0] == '0')) return false;
    if (!std::all_of(p.begin(), p.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
    if (std::stoi(p) > 255) return false;
  }
  return true;
}

}  // namespace portcullis::content::evals
