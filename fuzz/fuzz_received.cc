// SpamAssassin's Received parsing and the trust path on arbitrary bytes: the input is split at
// newlines into Received values (the first line, when it is an address, is the front door's
// client). Invariants: it returns; every relay lands on exactly one side of each boundary; the
// header indices stay inside the header count; a parsed relay's fields hold no character
// SpamAssassin strips from them.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/content/relays/received_parser.h"
#include "gateway/content/relays/relay_analysis.h"

using namespace portcullis;
using namespace portcullis::content::relays;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> lines;
  for (size_t start = 0; start <= input.size();) {
    size_t end = input.find('\n', start);
    if (end == std::string_view::npos) end = input.size();
    lines.emplace_back(input.substr(start, end - start));
    start = end + 1;
  }
  for (const auto& l : lines) {
    ParsedReceived p = parseReceivedLine(l);
    if (p.kind != ReceivedKind::Relay) continue;
    for (const std::string* f : {&p.relay.ip, &p.relay.rdns, &p.relay.helo, &p.relay.by})
      if (f->find_first_of(" \t\r\n()[]<>|#") != std::string::npos) __builtin_trap();
  }
  std::optional<SeenClient> seen;
  if (auto ip = core::IpAddress::parse(lines.front())) seen = SeenClient{*ip, "", "helo", "", ""};
  std::vector<std::string> errors;
  TrustSettings trust = trustSettingsFrom(
      {{"trusted_networks", lines.size() > 1 ? lines[1] : "", "fuzz", 1}}, {}, {}, &errors);
  RelayPath path = analyseRelays(lines, {}, trust, seen);
  const size_t relays = path.trusted.size() + path.untrusted.size();
  if (relays != path.internal.size() + path.external.size()) __builtin_trap();
  const int headers = static_cast<int>(lines.size()) + path.headerOffset;
  if (path.lastTrustedHeader >= headers || path.lastInternalHeader >= headers) __builtin_trap();
  (void)relaysText(path.untrusted);
  return 0;
}
