#include "gateway/core/ip_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace portcullis::core {

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  if (text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char buf[INET6_ADDRSTRLEN];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = 0;
  IpAddress a;
  if (inet_pton(AF_INET, buf, a.bytes.data()) == 1) return a;
  if (inet_pton(AF_INET6, buf, a.bytes.data()) == 1) {
    a.v6 = true;
    return a.unmapped();
  }
  return std::nullopt;
}

IpAddress IpAddress::unmapped() const {
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (!v6 || std::memcmp(bytes.data(), kMapped, 12) != 0) return *this;
  IpAddress a;
  std::memcpy(a.bytes.data(), bytes.data() + 12, 4);
  return a;
}

std::string IpAddress::str() const {
  char buf[INET6_ADDRSTRLEN];
  inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof buf);
  return buf;
}

std::optional<CidrRange> CidrRange::parse(std::string_view text) {
  auto slash = text.find('/');
  auto addr = IpAddress::parse(text.substr(0, slash));
  if (!addr) return std::nullopt;
  CidrRange r{*addr, addr->bits()};
  if (slash != std::string_view::npos) {
    auto p = text.substr(slash + 1);
    int prefix = -1;
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), prefix);
    if (ec != std::errc() || ptr != p.data() + p.size() || prefix < 0 || prefix > addr->bits())
      return std::nullopt;
    r.prefix = prefix;
  }
  // Like Postfix's cidr tables, refuse a network with host bits set: it is almost always a typo.
  for (int bit = r.prefix; bit < addr->bits(); ++bit)
    if (addr->bytes[bit / 8] & (0x80 >> (bit % 8))) return std::nullopt;
  return r;
}

bool CidrRange::contains(const IpAddress& raw) const {
  IpAddress a = raw.unmapped();
  if (a.v6 != network.v6) return false;
  int full = prefix / 8;
  if (std::memcmp(a.bytes.data(), network.bytes.data(), full) != 0) return false;
  int rest = prefix % 8;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a.bytes[full] & mask) == (network.bytes[full] & mask);
}

CidrRange CidrRange::enclosing(const IpAddress& raw, int prefix) {
  CidrRange r{raw.unmapped(), std::clamp(prefix, 0, raw.unmapped().bits())};
  for (int bit = r.prefix; bit < r.network.bits(); ++bit)
    r.network.bytes[bit / 8] &= static_cast<uint8_t>(~(0x80 >> (bit % 8)));
  return r;
}

std::string CidrRange::str() const {
  return network.str() + "/" + std::to_string(prefix);
}

}  // namespace portcullis::core
