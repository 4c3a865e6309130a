// DNS responses as they come off the wire. Invariants: parsing returns; every record's owner,
// and every name a record points at, is a name the resolver could send (normalizeName accepts
// it, unchanged: a chain's end is queried next); the CNAME walk ends.
#include <cstdint>
#include <string_view>

#include "gateway/dns/message.h"

using namespace portcullis::dns;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string why;
  auto resp = parseResponse(std::string_view(reinterpret_cast<const char*>(data), size), &why);
  if (!resp) {
    if (why.empty()) __builtin_trap();
    return 0;
  }
  auto sendable = [](const std::string& name) {
    auto n = normalizeName(name);
    return n && *n == name;
  };
  for (const auto& r : resp->answers) {
    if (!sendable(r.owner)) __builtin_trap();
    const bool namesTarget =
        r.type == Type::CNAME || r.type == Type::MX || r.type == Type::NS || r.type == Type::PTR;
    if (namesTarget && !sendable(r.data)) __builtin_trap();
  }
  for (Type t : {Type::A, Type::TXT, Type::MX, Type::CNAME}) {
    Chain c =
        followChain(resp->answers, resp->answers.empty() ? "x" : resp->answers.front().owner, t);
    if (c.cnames.size() > 9) __builtin_trap();
  }
  return 0;
}
