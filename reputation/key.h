// What reputation is kept about: the client address and its networks, the HELO name, and
// domains, each only where the message proves the domain was really involved.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::reputation {

enum class KeyKind { Ip, Net, Helo, EnvelopeDomain, FromDomain, DkimDomain, SpfDomain, UrlHost };

struct Key {
  KeyKind kind = KeyKind::Ip;
  std::string value;  // lower case

  // "ip:192.0.2.1", "net:192.0.2.0/24", "helo:mx.example.com", "env:example.com",
  // "from:example.com", "dkim:example.com", "spf:example.com", "url:host.example"
  std::string str() const;
  static std::optional<Key> parse(std::string_view text, std::string* why);
  bool operator==(const Key&) const = default;
};

std::string_view keyKindName(KeyKind k);
// True for the kinds that name a domain (their reputation must not be spoilable by forgers).
bool isDomainKind(KeyKind k);

// What one message proves about who sent it. Front doors and checks fill it from the session
// and the authentication results.
struct Identity {
  std::string clientIp;                  // empty: unknown (scan without --client-ip)
  std::string helo;                      // as claimed
  std::string verifiedName;              // forward-confirmed reverse DNS name, empty if none
  std::string envelopeDomain;            // MAIL FROM domain
  std::string fromDomain;                // header From domain
  bool spfPass = false;                  // SPF pass for envelopeDomain
  bool dmarcPass = false;                // From domain aligned with a pass (SPF or DKIM)
  std::vector<std::string> dkimDomains;  // d= of valid signatures
  std::vector<std::string> urlHosts;     // from the body
};

struct KeyOptions {
  int ipv4Prefix = 24;
  int ipv6Prefix = 64;
  size_t maxUrlHosts = 5;
};

// The keys a message contributes to and is judged by. Poisoning resistance lives here:
//   - a domain counts only where it authenticated: env only with an SPF pass, from only with a
//     DMARC pass, dkim for valid signatures, spf for the SPF-passing domain;
//   - the HELO name counts only when it is the client's forward-confirmed name, so a bot that
//     claims HELO mail.bank.example cannot spoil it.
// IP, network and URL hosts count always: they are facts of the connection and the content.
std::vector<Key> keysFor(const Identity& id, const KeyOptions& options = {});

}  // namespace portcullis::reputation
