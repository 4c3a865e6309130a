// The authentication layer's text parsers on arbitrary bytes: SPF records (syntax check and the
// rewrite handed to libspf2), DKIM tag lists, DMARC records (through libopendmarc), From
// domains, the From readers, and Authentication-Results recognition, reading and removal.
// Invariants: they return; a record that passes the syntax check still passes after the rewrite;
// the From readers give distinct usable lower-case domains, include every domain of the strict
// reading, and call a From with two domains ambiguous; removal never grows the message and
// leaves nothing that claims the id.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>

#include "gateway/auth/auth_results.h"
#include "gateway/auth/dkim.h"
#include "gateway/auth/dmarc.h"
#include "gateway/auth/from_address.h"
#include "gateway/auth/spf_record.h"
#include "gateway/dns/message.h"
#include "gateway/mime/headers.h"

using namespace portcullis::auth;

namespace {
// Each entry written and read back keeps its method and result, in order (the round trip below
// compares only the properties).
void methodsAndResultsRoundTrip(const std::vector<AuthResultEntry>& entries) {
  auto again = parseAuthResults(authResultsValue("gw.test", entries)).entries;
  if (again.size() != entries.size()) __builtin_trap();
  for (size_t i = 0; i < again.size(); ++i)
    if (again[i].method != entries[i].method || again[i].result != entries[i].result)
      __builtin_trap();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);
  const std::string record = "v=spf1 " + in;
  if (!spfSyntaxError(record)) {
    for (bool v4 : {true, false})
      if (auto err = spfSyntaxError(rewriteForLibspf2(record, v4))) __builtin_trap();
  }
  parseTagList(in);
  std::string why;
  parseDmarcRecord("v=DMARC1; " + in, &why);
  fromDomains({in});
  auto checkDomains = [](const std::vector<std::string>& domains) {
    for (size_t i = 0; i < domains.size(); ++i) {
      if (!usableFromDomain(domains[i])) __builtin_trap();
      for (char c : domains[i])
        if (c >= 'A' && c <= 'Z') __builtin_trap();
      for (size_t j = 0; j < i; ++j)
        if (domains[j] == domains[i]) __builtin_trap();
    }
  };
  const auto list = readMailboxList(in, in);
  checkDomains(list.domains);
  for (const auto& a : list.addresses) {
    const std::string d = a.substr(a.rfind('@') + 1);
    auto n = portcullis::dns::normalizeName(d);
    if (usableFromDomain(d) && n &&
        std::find(list.domains.begin(), list.domains.end(), *n) == list.domains.end())
      __builtin_trap();
  }
  const auto from = readFrom(portcullis::mime::parseHeaderSection(in));
  checkDomains(from.domains);
  if (from.domains.size() > 1 && !from.ambiguous) __builtin_trap();
  authservIdOf(in);
  // Reading a value back: results whose names are plain tokens and whose values are printable
  // (all ours are) survive being written and read again, one for one.
  auto parsed = parseAuthResults(in);
  auto plain = [](const std::string& t) {
    if (t.empty()) return false;
    for (char c : t)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_')
        return false;
    return true;
  };
  bool allPlain = !parsed.entries.empty();
  for (const auto& e : parsed.entries) {
    allPlain = allPlain && plain(e.method) && plain(e.result);
    for (const auto& [k, v] : e.properties) {
      allPlain = allPlain && plain(k);
      for (char c : v)  // the writer drops what a header cannot carry
        allPlain = allPlain && c > 0x20 && c < 0x7f && c != '"' && c != '\\';
    }
  }
  if (allPlain) {
    methodsAndResultsRoundTrip(parsed.entries);
    auto again = parseAuthResults(authResultsValue("gw.test", parsed.entries));
    if (again.entries.size() != parsed.entries.size()) __builtin_trap();
    for (size_t i = 0; i < again.entries.size(); ++i)
      if (again.entries[i].properties != parsed.entries[i].properties) __builtin_trap();
  }
  const std::string msg = "Authentication-Results: gw.test; " + in + "\r\nSubject: x\r\n\r\nbody";
  std::string out = msg;
  removeClaimedAuthResults(out, "gw.test");
  if (out.size() > msg.size()) __builtin_trap();
  // Nothing claiming the id is left in the header section.
  std::string again = out;
  if (removeClaimedAuthResults(again, "gw.test") != 0) __builtin_trap();
  std::string raw = in;
  removeClaimedAuthResults(raw, "gw.test");
  return 0;
}
