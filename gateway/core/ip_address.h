// An IPv4 or IPv6 address as 16 bytes (IPv4 kept as IPv4, not mapped), with CIDR ranges.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace portcullis::core {

struct IpAddress {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};  // IPv4 uses the first 4

  static std::optional<IpAddress> parse(std::string_view text);
  std::string str() const;
  int bits() const { return v6 ? 128 : 32; }
  // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) becomes plain IPv4, so lists match either form.
  IpAddress unmapped() const;
  bool operator==(const IpAddress&) const = default;
};

struct CidrRange {
  IpAddress network;
  int prefix = 0;

  // "192.0.2.0/24", "2001:db8::/32", or a bare address (a host route).
  static std::optional<CidrRange> parse(std::string_view text);
  // The network of `prefix` bits that contains `a` (IPv4-mapped addresses as IPv4).
  static CidrRange enclosing(const IpAddress& a, int prefix);
  bool contains(const IpAddress& a) const;
  std::string str() const;
};

}  // namespace portcullis::core
