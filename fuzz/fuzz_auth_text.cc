// The authentication layer's text parsers on arbitrary bytes: SPF records (syntax check and the
// rewrite handed to libspf2), DKIM tag lists, DMARC records (through libopendmarc), From
// domains, and Authentication-Results recognition and removal. Invariants: they return; a
// record that passes the syntax check still passes after the rewrite; removal never grows the
// message and leaves nothing that claims the id.
#include <cstdint>
#include <string>

#include "gateway/auth/auth_results.h"
#include "gateway/auth/dkim.h"
#include "gateway/auth/dmarc.h"
#include "gateway/auth/spf_record.h"

using namespace portcullis::auth;

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
  authservIdOf(in);
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
