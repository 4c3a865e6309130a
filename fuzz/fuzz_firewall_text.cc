// The firewall's text parsers: DNS list specs from the config (postscreen syntax, and the
// domain lists' specs), HELO names
// from clients, and envelope senders as greylisting normalises them. None may crash; a parsed
// DNS list must match consistently and produce a query name under its zone.
#include <cstdint>
#include <string>

#include "gateway/checks/domain_list.h"
#include "gateway/firewall/dnsbl_site.h"
#include "gateway/firewall/greylist.h"
#include "gateway/firewall/helo_check.h"

using namespace portcullis;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::string why;
  if (auto site = firewall::parseDnsblSite(text, &why)) {
    if (site->zone.empty() || site->symbol.size() < 5) __builtin_trap();
    auto answer = core::IpAddress::parse("127.0.0.2");
    (void)site->matches(*answer);
    auto name = firewall::dnsblQueryName(*answer, site->zone);
    if (!name.ends_with("." + site->zone)) __builtin_trap();
  } else if (why.empty()) {
    __builtin_trap();  // every refusal says why
  }
  std::optional<core::IpAddress> literal;
  auto form = firewall::classifyHelo(text, &literal);
  if ((form == firewall::HeloForm::AddressLiteral || form == firewall::HeloForm::BareAddress) &&
      !literal)
    __builtin_trap();
  (void)firewall::Greylist::normalizeSender(text);
  // Domain-based lists ([reputation] domain_lists): parsed or refused with a reason; a parsed
  // one always has a mapping, and matching never crashes.
  why.clear();
  if (auto list = checks::parseDomainList(text, &why)) {
    if (list->codes.empty() || list->zone.empty() || list->sources == 0) __builtin_trap();
    for (const char* a : {"127.0.0.2", "127.0.1.255", "127.255.255.254", "10.0.0.1"})
      for (size_t i : list->matches(*core::IpAddress::parse(a)))
        if (i >= list->codes.size()) __builtin_trap();
  } else if (why.empty()) {
    __builtin_trap();
  }
  return 0;
}
