// DNS wire format, sans I/O: reading a response into records, and the name and chain rules the
// resolver applies to it. Every byte comes from the network, so every length is checked
// (fuzz/fuzz_dns.cc).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::dns {

enum class Type : uint16_t {
  A = 1,
  NS = 2,
  CNAME = 5,
  SOA = 6,
  PTR = 12,
  MX = 15,
  TXT = 16,
  AAAA = 28
};
std::string_view typeName(Type t);

// What a lookup came to. SPF and DMARC give these different meanings (RFC 7208 5 and 4.6.4,
// RFC 7489 6.6.3), so they are never folded together.
enum class Status {
  Ok,        // records of the asked type
  NoData,    // the name exists, no records of that type (a "void lookup" for SPF)
  NxDomain,  // the name does not exist (also a void lookup)
  ServFail,  // the server failed, refused, or answered something unusable
  Timeout,   // no answer from any server in time
  BadName,   // the name is not a valid domain name; nothing was sent
};
std::string_view statusName(Status s);
// Ok, NoData and NxDomain are answers; the rest say nothing about the name.
inline bool isTemporary(Status s) {
  return s == Status::ServFail || s == Status::Timeout;
}

struct Record {
  std::string owner;  // lower case, no trailing dot
  Type type = Type::A;
  uint32_t ttl = 0;
  // A/AAAA: the address as text. MX/PTR/CNAME/NS: the target name (lower case, no trailing dot).
  // TXT: its character-strings joined with nothing between them (RFC 7208 3.3, RFC 6376 3.6.2.2).
  std::string data;
  uint16_t preference = 0;  // MX only
};

struct Response {
  uint16_t id = 0;
  bool truncated = false;
  int rcode = 0;
  std::vector<Record> answers;          // every record of a type above, in wire order
  std::optional<uint32_t> negativeTtl;  // min(SOA TTL, SOA MINIMUM) from the authority section
};

// Parses a response. Returns nullopt with `why` set when the bytes are not a DNS message.
std::optional<Response> parseResponse(std::string_view wire, std::string* why);

// "Example.COM." -> "example.com"; nullopt for names that cannot be sent (empty labels, a label
// over 63 bytes, over 253 in all, or bytes a resolver would have to escape).
std::optional<std::string> normalizeName(std::string_view name);

// Follows CNAMEs from `qname` through `answers` (at most `maxHops`) and returns the records of
// `type` at the end, plus the chain walked. `end` is where the chain stopped: if no record of
// `type` is there the caller queries `end` itself (servers need not include the target).
struct Chain {
  std::vector<Record> records;
  std::vector<std::string> cnames;
  std::string end;
  bool loop = false;  // the chain came back on itself or exceeded maxHops
};
Chain followChain(const std::vector<Record>& answers, const std::string& qname, Type type,
                  int maxHops = 8);

}  // namespace portcullis::dns
