#include "gateway/firewall/dnsbl_site.h"

#include <charconv>
#include <cmath>

#include "gateway/core/text.h"
#include "gateway/dns/resolver.h"

namespace portcullis::firewall {

namespace {

std::optional<int> octet(std::string_view s) {
  int v = -1;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v < 0 || v > 255)
    return std::nullopt;
  return v;
}

// "2", "[2..11]", "[1;3;5..7]"
bool parseOctet(std::string_view s, std::vector<std::pair<int, int>>& out) {
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']') {
    s = s.substr(1, s.size() - 2);
    while (true) {
      auto semi = s.find(';');
      std::string_view item = s.substr(0, semi);
      auto dots = item.find("..");
      auto lo = octet(item.substr(0, dots));
      auto hi = dots == std::string_view::npos ? lo : octet(item.substr(dots + 2));
      if (!lo || !hi || *lo > *hi) return false;
      out.emplace_back(*lo, *hi);
      if (semi == std::string_view::npos) return true;
      s.remove_prefix(semi + 1);
    }
  }
  auto v = octet(s);
  if (!v) return false;
  out.emplace_back(*v, *v);
  return true;
}

std::string symbolFor(const std::string& zone, double weight) {
  std::string s = weight < 0 ? "RWL_" : "RBL_";
  for (char c : zone) s += std::isalnum(static_cast<unsigned char>(c)) ? std::toupper(c) : '_';
  return s;
}

}  // namespace

std::optional<DnsblSite> parseDnsblSite(std::string_view spec, std::string* why) {
  DnsblSite site;
  site.spec = std::string(spec);
  std::string_view rest = spec;
  if (auto star = rest.rfind('*'); star != std::string_view::npos) {
    std::string_view w = rest.substr(star + 1);
    double weight = 0;
    auto [p, ec] = std::from_chars(w.data(), w.data() + w.size(), weight);
    if (w.empty() || ec != std::errc() || p != w.data() + w.size() || !std::isfinite(weight)) {
      *why = "bad weight '" + std::string(w) + "' in '" + site.spec + "' (expected *number)";
      return std::nullopt;
    }
    site.weight = weight;
    rest = rest.substr(0, star);
  }
  if (auto eq = rest.find('='); eq != std::string_view::npos) {
    std::string_view f = rest.substr(eq + 1);
    rest = rest.substr(0, eq);
    std::array<std::vector<std::pair<int, int>>, 4> filter;
    for (int i = 0; i < 4; ++i) {
      auto dot = i < 3 ? f.find('.') : std::string_view::npos;
      // Ranges use "..": skip dots inside brackets when looking for the octet separator.
      if (i < 3 && !f.empty() && f.front() == '[') {
        auto close = f.find(']');
        dot = close == std::string_view::npos ? close : f.find('.', close);
      }
      if (i < 3 && dot == std::string_view::npos) {
        *why = "filter '" + std::string(spec.substr(spec.find('=') + 1)) + "' in '" + site.spec +
               "' needs four octets (d.d.d.d, each a number or [n..m;k])";
        return std::nullopt;
      }
      if (!parseOctet(f.substr(0, dot), filter[i])) {
        *why = "bad octet '" + std::string(f.substr(0, dot)) + "' in filter of '" + site.spec +
               "' (a number 0-255 or [n..m;k])";
        return std::nullopt;
      }
      f = dot == std::string_view::npos ? std::string_view() : f.substr(dot + 1);
    }
    if (!f.empty()) {
      *why = "filter in '" + site.spec + "' has more than four octets";
      return std::nullopt;
    }
    site.filter = std::move(filter);
  }
  std::string zone = core::lowerAscii(rest);
  while (!zone.empty() && zone.back() == '.') zone.pop_back();
  if (zone.empty() ||
      zone.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-._") != std::string::npos ||
      zone.front() == '.' || zone.find("..") != std::string::npos) {
    *why = "'" + site.spec + "' does not start with a DNS zone name";
    return std::nullopt;
  }
  site.zone = zone;
  site.symbol = symbolFor(zone, site.weight);
  return site;
}

bool DnsblSite::matches(const core::IpAddress& answer) const {
  if (answer.v6) return false;  // DNS lists answer with IPv4 addresses
  if (!filter) return true;
  for (int i = 0; i < 4; ++i) {
    bool hit = false;
    for (auto [lo, hi] : (*filter)[i])
      hit = hit || (answer.bytes[i] >= lo && answer.bytes[i] <= hi);
    if (!hit) return false;
  }
  return true;
}

std::string dnsblQueryName(const core::IpAddress& client, const std::string& zone) {
  std::string r = dns::reverseName(client.unmapped().str());
  // reverseName ends in in-addr.arpa / ip6.arpa; a list wants the same labels under its zone.
  auto cut = r.rfind(client.unmapped().v6 ? ".ip6.arpa" : ".in-addr.arpa");
  return r.substr(0, cut) + "." + zone;
}

}  // namespace portcullis::firewall
