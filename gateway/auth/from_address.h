// The From domains DMARC evaluates, read the way several mail readers would read them.
//
// "Composition Kills" (Chen et al., USENIX Security 2020) showed that a From field one
// component reads as attack.com and a mail client shows as legitimate.com defeats DMARC. So the
// field is read by several readers: RFC 5322 (obsolete syntax included), readers that take any
// angle-addr or any bare address, the encoded words decoded first (as some webmail does), the
// text cut at a NUL (as C code does), and this gateway's previous extractor. When they do not
// agree on one domain, the From is ambiguous: every domain any of them found is evaluated and
// none of them may pass by alignment (auth_check.cc).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "gateway/mime/headers.h"

namespace portcullis::auth {

// One mailbox-list value as the readers see it.
struct MailboxListReading {
  std::vector<std::string> addresses;  // RFC 5322 reading: the addr-spec of each good mailbox
  std::vector<std::string> domains;    // every usable domain any reader found, distinct, in order
  bool strictOk = false;               // the whole value is a valid RFC 5322 address-list
  std::string why;                     // what readers could disagree on, empty when nothing
};

// `value` unfolded as written; `decoded` with encoded words decoded (empty: not read).
MailboxListReading readMailboxList(std::string_view value, std::string_view decoded = {});

struct FromReading {
  size_t fields = 0;                   // From fields, obsolete forms included
  std::vector<std::string> addresses;  // the RFC 5322 reading of every From field
  // Every domain a reader could show as the sender, distinct. The ones clients display (the
  // first address of the first and of the last From field) come first.
  std::vector<std::string> domains;
  bool ambiguous = false;  // readers disagree on the domain, or only a lenient reader found one
  bool fallback = false;   // domains come from Sender / Resent-From (no From a client surely sees)
  std::string why;
};

FromReading readFrom(const mime::HeaderSection& section);

// A domain DMARC can look up: dot-separated labels of letters, digits, '-', '_' or UTF-8.
bool usableFromDomain(std::string_view domain);

}  // namespace portcullis::auth
