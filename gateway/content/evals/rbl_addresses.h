// Which addresses SpamAssassin's check_rbl looks up for a set (DNSEval.pm parsed_metadata and
// _check_rbl_backend): the untrusted relays, unique and public, plus addresses named by the
// originating_ip_headers; the set name's suffix narrows that down (-lastexternal,
// -notfirsthop, -firsttrusted, -untrusted).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "gateway/content/evals/eval_context.h"

namespace portcullis::content::evals {

// `nice`: the rule has tflags nice (an allow list): trusted relays stay in the list.
std::vector<std::string> rblAddresses(const EvalContext& ctx, std::string_view set, bool nice);

// SpamAssassin's IP_PRIVATE: RFC 1918, loopback, link-local, CGN, and their IPv4-mapped forms.
bool isPrivateAddress(std::string_view ip);

// SpamAssassin's check_subtest: an exact address, a bit mask over a 127/8 answer, or a regex.
bool rblSubtestMatches(std::string_view answer, std::string_view subtest);

}  // namespace portcullis::content::evals
