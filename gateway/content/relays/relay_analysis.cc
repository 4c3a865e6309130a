#include "gateway/content/relays/relay_analysis.h"

#include <algorithm>
#include <cctype>

#include "gateway/content/relays/received_parser.h"

namespace portcullis::content::relays {
namespace {

// "10", "10.", "192.168", "192.168.1." -> the network those octets name (SpamAssassin's
// shorthand for /8, /16, /24).
std::optional<core::CidrRange> parseShorthand(std::string_view s) {
  while (!s.empty() && s.back() == '.') s.remove_suffix(1);
  if (s.empty() || s.find_first_not_of("0123456789.") != std::string_view::npos) return {};
  int octets = static_cast<int>(std::count(s.begin(), s.end(), '.')) + 1;
  if (octets >= 4) return {};
  std::string full(s);
  for (int i = octets; i < 4; ++i) full += ".0";
  return core::CidrRange::parse(full + "/" + std::to_string(octets * 8));
}

}  // namespace

bool NetSet::add(std::string_view entry, std::string* error) {
  bool exclude = false;
  if (!entry.empty() && entry.front() == '!') {
    exclude = true;
    entry.remove_prefix(1);
  }
  std::string text(entry);
  if (text.size() > 2 && text.front() == '[' && text.find(']') != std::string::npos) {
    size_t close = text.find(']');
    text = text.substr(1, close - 1) + text.substr(close + 1);
  }
  auto range = core::CidrRange::parse(text);
  if (!range) range = parseShorthand(text);
  if (!range) {
    if (error) *error = "not an address or network: '" + std::string(entry) + "'";
    return false;
  }
  entries_.push_back({*range, exclude});
  return true;
}

bool NetSet::contains(const core::IpAddress& ip) const {
  for (const auto& e : entries_)
    if (e.range.contains(ip)) return !e.exclude;
  return false;
}

bool NetSet::contains(std::string_view ip) const {
  auto a = core::IpAddress::parse(ip);
  return a && contains(*a);
}

TrustSettings trustSettingsFrom(const std::vector<rules::Setting>& settings,
                                const std::vector<std::string>& configTrusted,
                                const std::vector<std::string>& configInternal,
                                std::vector<std::string>* errors) {
  TrustSettings t;
  auto addWords = [&](NetSet& set, std::string_view value, const std::string& where) {
    size_t i = 0;
    while (i < value.size()) {
      while (i < value.size() && std::isspace(static_cast<unsigned char>(value[i]))) ++i;
      size_t start = i;
      while (i < value.size() && !std::isspace(static_cast<unsigned char>(value[i]))) ++i;
      if (i == start) break;
      std::string error;
      if (!set.add(value.substr(start, i - start), &error) && errors)
        errors->push_back(where + ": " + error);
    }
  };
  for (const auto& s : settings) {
    const std::string where = s.file + ":" + std::to_string(s.line);
    if (s.key == "trusted_networks") {
      addWords(t.trusted, s.value, where);
      t.trustedConfigured = true;
    } else if (s.key == "clear_trusted_networks") {
      t.trusted.clear();
      t.trustedConfigured = false;
    } else if (s.key == "internal_networks") {
      addWords(t.internal, s.value, where);
      t.internalConfigured = true;
    } else if (s.key == "clear_internal_networks") {
      t.internal.clear();
      t.internalConfigured = false;
    } else if (s.key == "msa_networks") {
      addWords(t.msa, s.value, where);
    } else if (s.key == "clear_msa_networks") {
      t.msa.clear();
    } else if (s.key == "clear_originating_ip_headers") {
      t.originatingHeaders.clear();
    } else if (s.key == "originating_ip_headers") {
      std::string_view v = s.value;
      size_t i = 0;
      while (i < v.size()) {
        while (i < v.size() && std::isspace(static_cast<unsigned char>(v[i]))) ++i;
        size_t start = i;
        while (i < v.size() && !std::isspace(static_cast<unsigned char>(v[i]))) ++i;
        if (i > start) t.originatingHeaders.emplace_back(v.substr(start, i - start));
      }
    }
  }
  for (const auto& e : configTrusted) {
    addWords(t.trusted, e, "rules.trusted_networks");
    t.trustedConfigured = true;
  }
  for (const auto& e : configInternal) {
    addWords(t.internal, e, "rules.internal_networks");
    t.internalConfigured = true;
  }
  for (NetSet* set : {&t.trusted, &t.internal}) {
    set->add("127.0.0.0/8", nullptr);
    set->add("::1", nullptr);
  }
  return t;
}

RelayPath analyseRelays(const std::vector<std::string>& received,
                        const std::vector<std::string>& originating, const TrustSettings& trust,
                        const std::optional<SeenClient>& seen) {
  RelayPath path;
  const bool trustSet = trust.trustedConfigured, internalSet = trust.internalConfigured;
  const NetSet& trusted = trustSet || !internalSet ? trust.trusted : trust.internal;
  const NetSet& internal = internalSet ? trust.internal : trusted;
  bool inTrusted = true, inInternal = true, foundMsa = false;
  bool allowFetchMarkers = true;

  std::vector<ParsedReceived> hops;
  // The seen client first, as our own Received line would name it (it is not a header of the
  // message: it moves no header index).
  if (seen) {
    ParsedReceived p;
    p.kind = ReceivedKind::Relay;
    Relay& r = p.relay;
    r.address = seen->ip;
    r.ip = seen->ip.str();
    r.rdns = seen->rdns;
    r.helo = seen->helo;
    r.by = seen->by;
    r.auth = seen->auth;
    r.lcRdns = r.rdns;
    r.lcHelo = r.helo;
    r.lcBy = r.by;
    for (auto* s : {&r.lcRdns, &r.lcHelo, &r.lcBy})
      for (char& c : *s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.ipPrivate = isSaPrivateAddress(r.ip);
    r.noReverseDns = r.rdns.empty();  // the front door looked it up
    hops.push_back(std::move(p));
  }
  path.headerOffset = static_cast<int>(hops.size());
  for (const auto& h : received) hops.push_back(parseReceivedLine(h));
  // SpamAssassin turns the first address of each originating header into a hop of its own.
  for (const auto& value : originating) {
    for (size_t i = 0; i < value.size();) {
      auto addrChar = [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) || c == '.' || c == ':';
      };
      while (i < value.size() && !addrChar(value[i])) ++i;
      size_t start = i;
      while (i < value.size() && addrChar(value[i])) ++i;
      std::string token = value.substr(start, i - start);
      if (token.size() >= 3 && core::IpAddress::parse(token)) {
        hops.push_back(parseReceivedLine("from X-Originating-IP: " + token));
        break;
      }
    }
  }

  for (size_t k = 0; k < hops.size(); ++k) {
    ParsedReceived& hop = hops[k];
    // The seen client counts as the Received header our own MTA would have written on top:
    // the indices are those SpamAssassin would see (RelayPath::headerOffset says so).
    if (hop.kind == ReceivedKind::Unparseable) ++path.unparseable;
    if (hop.popFetcher && allowFetchMarkers) {
      // A mail fetcher's handover: what came before it is another mailbox's path.
      path.trusted.clear();
      path.internal.clear();
      path.external.clear();
    }
    if (hop.kind != ReceivedKind::Relay) {
      if (inTrusted) ++path.lastTrustedHeader;
      if (inInternal) ++path.lastInternalHeader;
      continue;
    }
    Relay& r = hop.relay;
    if (inTrusted && !foundMsa) {
      if (!trustSet && !internalSet) {
        // No networks configured: private addresses and authenticated hops are trusted, and
        // trust ends at the first other hop.
        if (!r.ipPrivate && r.auth.empty() && !trusted.contains(r.ip))
          inTrusted = inInternal = false;
      } else if (r.auth.empty() && !trusted.contains(r.ip)) {
        inTrusted = inInternal = false;
      } else {
        if (inInternal && r.auth.empty() && !internal.contains(r.ip)) inInternal = false;
        if (trust.msa.contains(r.ip)) {
          foundMsa = true;
          r.msa = true;
        }
      }
    }
    r.internal = inInternal;
    r.trusted = inTrusted;
    if (inTrusted) {
      path.trusted.push_back(r);
      allowFetchMarkers = true;
      ++path.lastTrustedHeader;
    } else {
      path.untrusted.push_back(r);
      allowFetchMarkers = false;
    }
    if (inInternal) {
      path.internal.push_back(r);
      ++path.lastInternalHeader;
    } else {
      path.external.push_back(r);
    }
  }
  return path;
}

std::string relaysText(const std::vector<Relay>& relays) {
  std::string out;
  for (const auto& r : relays) {
    if (!out.empty()) out += ' ';
    out += "[ ip=" + r.ip + " rdns=" + r.rdns + " helo=" + r.helo + " by=" + r.by +
           " ident=" + r.ident + " envfrom=" + r.envfrom + " intl=" + (r.internal ? "1" : "0") +
           " id=" + r.id + " auth=" + r.auth + " msa=" + (r.msa ? "1" : "0") + " ]";
  }
  return out;
}

}  // namespace portcullis::content::relays
