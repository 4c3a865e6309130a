// One Received header as SpamAssassin's relay analysis reads it
// (Mail::SpamAssassin::Message::Metadata::Received::parse_received_line): the client's address,
// its reverse DNS and HELO as the receiving MTA recorded them, the receiving host, ident,
// envelope sender, queue id and authentication, for the MTA formats SpamAssassin knows.
// The patterns are SpamAssassin's, in its order, run by PCRE2 (Perl's syntax and semantics),
// so a header gives the same fields here as there: the rules over X-Spam-Relays-* were tuned on
// exactly those fields.
#pragma once
#include <string_view>

#include "gateway/content/relays/relay.h"

namespace portcullis::content::relays {

enum class ReceivedKind {
  Relay,        // a handover between hosts: `relay` is filled in
  Skipped,      // a header SpamAssassin knows carries no handover (local pickup, qmail, ...)
  Unparseable,  // neither: counted by check_relays_unparseable
};

struct ParsedReceived {
  ReceivedKind kind = ReceivedKind::Unparseable;
  Relay relay;              // trust fields left false: the path decides them
  bool popFetcher = false;  // "with POP3/IMAP": a mail fetcher's marker (restarts the path)
};

// One Received header value, folded or not, without the field name.
ParsedReceived parseReceivedLine(std::string_view value);

// SpamAssassin's IP_PRIVATE over an address as text.
bool isSaPrivateAddress(std::string_view ip);

}  // namespace portcullis::content::relays
