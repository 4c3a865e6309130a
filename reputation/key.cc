#include "reputation/key.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace portcullis::reputation {

namespace {

struct KindName {
  KeyKind kind;
  std::string_view name;
};
constexpr std::array<KindName, 8> kKinds = {{{KeyKind::Ip, "ip"},
                                             {KeyKind::Net, "net"},
                                             {KeyKind::Helo, "helo"},
                                             {KeyKind::EnvelopeDomain, "env"},
                                             {KeyKind::FromDomain, "from"},
                                             {KeyKind::DkimDomain, "dkim"},
                                             {KeyKind::SpfDomain, "spf"},
                                             {KeyKind::UrlHost, "url"}}};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

bool validDomain(std::string_view d) {
  if (d.empty() || d.size() > 253 || d.front() == '.' || d.find("..") != std::string_view::npos)
    return false;
  return std::all_of(d.begin(), d.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c >= 0x80;
  });
}

// The network of `ip` with `prefix` bits as "addr/prefix"; empty if `ip` is not an address.
std::string network(const std::string& ip, int v4Prefix, int v6Prefix) {
  unsigned char b[16] = {};
  char text[INET6_ADDRSTRLEN] = {};
  if (inet_pton(AF_INET, ip.c_str(), b) == 1) {
    for (int bit = v4Prefix; bit < 32; ++bit) b[bit / 8] &= ~(0x80 >> (bit % 8));
    inet_ntop(AF_INET, b, text, sizeof text);
    return std::string(text) + "/" + std::to_string(v4Prefix);
  }
  if (inet_pton(AF_INET6, ip.c_str(), b) == 1) {
    for (int bit = v6Prefix; bit < 128; ++bit) b[bit / 8] &= ~(0x80 >> (bit % 8));
    inet_ntop(AF_INET6, b, text, sizeof text);
    return std::string(text) + "/" + std::to_string(v6Prefix);
  }
  return "";
}

}  // namespace

std::string_view keyKindName(KeyKind k) {
  for (const auto& [kind, name] : kKinds)
    if (kind == k) return name;
  return "?";
}

bool isDomainKind(KeyKind k) {
  return k == KeyKind::EnvelopeDomain || k == KeyKind::FromDomain || k == KeyKind::DkimDomain ||
         k == KeyKind::SpfDomain;
}

std::string Key::str() const {
  return std::string(keyKindName(kind)) + ":" + value;
}

std::optional<Key> Key::parse(std::string_view text, std::string* why) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    *why =
        "'" + std::string(text) + "' is not KIND:VALUE (kinds: ip net helo env from dkim spf url)";
    return std::nullopt;
  }
  std::string_view kind = text.substr(0, colon), value = text.substr(colon + 1);
  for (const auto& [k, name] : kKinds) {
    if (name != kind) continue;
    Key key{k, lower(value)};
    bool ok = false;
    unsigned char b[16];
    if (k == KeyKind::Ip) {
      ok = inet_pton(AF_INET, key.value.c_str(), b) == 1 ||
           inet_pton(AF_INET6, key.value.c_str(), b) == 1;
    } else if (k == KeyKind::Net) {
      auto slash = key.value.find('/');
      ok = slash != std::string::npos &&
           network(key.value.substr(0, slash), std::atoi(key.value.c_str() + slash + 1),
                   std::atoi(key.value.c_str() + slash + 1)) == key.value;
    } else {
      ok = validDomain(key.value);
    }
    if (!ok) {
      *why = "'" + std::string(value) + "' is not a valid " + std::string(name) + " value";
      return std::nullopt;
    }
    return key;
  }
  *why = "unknown key kind '" + std::string(kind) + "' (kinds: ip net helo env from dkim spf url)";
  return std::nullopt;
}

std::vector<Key> keysFor(const Identity& id, const KeyOptions& options) {
  std::vector<Key> keys;
  auto add = [&](KeyKind k, const std::string& v) {
    std::string value = lower(v);
    if (value.empty()) return;
    Key key{k, value};
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(std::move(key));
  };
  if (!id.clientIp.empty()) {
    add(KeyKind::Ip, id.clientIp);
    add(KeyKind::Net, network(id.clientIp, options.ipv4Prefix, options.ipv6Prefix));
  }
  if (!id.verifiedName.empty() && lower(id.helo) == lower(id.verifiedName))
    add(KeyKind::Helo, id.helo);
  if (id.spfPass) {
    add(KeyKind::EnvelopeDomain, id.envelopeDomain);
    add(KeyKind::SpfDomain, id.envelopeDomain);
  }
  if (id.dmarcPass) add(KeyKind::FromDomain, id.fromDomain);
  for (const auto& d : id.dkimDomains) add(KeyKind::DkimDomain, d);
  size_t urls = 0;
  for (const auto& h : id.urlHosts) {
    if (urls == options.maxUrlHosts) break;
    const size_t before = keys.size();
    add(KeyKind::UrlHost, h);
    urls += keys.size() > before;
  }
  return keys;
}

}  // namespace portcullis::reputation
