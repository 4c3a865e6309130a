// One hop of a message's path as SpamAssassin's relay analysis describes it
// (Mail::SpamAssassin::Message::Metadata::Received), and the whole path split at the trust
// and internal boundaries. The proxy, the milter and `scan` all fill these in; the
// X-Spam-Relays-* pseudo-headers and the relay evals read them.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/ip_address.h"

namespace portcullis::content::relays {

struct Relay {
  std::string ip;  // the connecting client's address as text ("" when unknown)
  std::optional<core::IpAddress> address;  // parsed ip
  std::string rdns;        // its reverse DNS name as the receiving MTA recorded it ("" none)
  std::string helo;        // what it said in HELO/EHLO
  std::string by;          // the receiving host's name
  std::string ident;       // RFC 1413 ident, rarely present
  std::string envfrom;     // envelope sender, when the MTA recorded it
  std::string id;          // the receiving MTA's queue id
  std::string auth;        // authentication mechanism or "" (e.g. "ESMTPA", "Sendmail")
  bool internal = false;   // intl=1: the receiving host is inside internal_networks
  bool trusted = false;    // above the trust boundary
  bool msa = false;        // msa=1: received through an MSA in msa_networks
  bool ipPrivate = false;  // RFC 1918 / loopback / link-local / ULA
  // SpamAssassin's no_reverse_dns: the receiving MTA looked the client up and found no name
  // (as opposed to an MTA that records no lookup at all).
  bool noReverseDns = false;
  bool noRdns() const { return rdns.empty(); }
  // SpamAssassin's lower-cased copies (lc_rdns, lc_helo, lc_by) are what most rules read.
  std::string lcRdns, lcHelo, lcBy;
};

struct RelayPath {
  // In order from the recipient's side outwards (the topmost Received line first).
  std::vector<Relay> trusted, untrusted, internal, external;
  // Received headers that name no relay we could parse (SpamAssassin's num_relays_unparseable
  // counts those that are not known to be irrelevant).
  size_t unparseable = 0;
  // Index (0 = topmost Received header) of the last header of the trusted / internal part;
  // -1: none. ALL-TRUSTED, ALL-UNTRUSTED, ALL-INTERNAL and ALL-EXTERNAL split the header
  // block there, as PerMsgStatus does.
  int lastTrustedHeader = -1;
  int lastInternalHeader = -1;
  // Hops the front door saw that are not headers of the message (0 or 1): the indices above
  // count them as Received headers on top of the message's own.
  int headerOffset = 0;
};

}  // namespace portcullis::content::relays
