// Header fields the gateway adds. Every value is built so that no client-supplied text (HELO
// names, addresses, downstream text) can carry a CR, LF or other control character into it.
#pragma once
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/core/transaction.h"
#include "gateway/core/verdict.h"

namespace portcullis::core {

using HeaderField = std::pair<std::string, std::string>;  // name, unfolded value

// "Name: value\r\n" with control characters replaced (core::withoutControls), folded at spaces before 78 columns where possible.
std::string formatHeader(const HeaderField& h);

// RFC 5321 4.4 trace header, in Postfix's shape:
//   from HELO (NAME [IP]) by HOST (Portcullis) with ESMTPS id ID for <rcpt>; DATE
std::string receivedHeader(const SessionInfo& s, const Transaction& tx, std::string_view hostname,
                           std::chrono::system_clock::time_point when);

// X-Spam-* fields describing the verdict.
std::vector<HeaderField> verdictHeaders(const Verdict& v, const Decision& d, const Thresholds& t);

std::string rfc5322Date(std::chrono::system_clock::time_point when);

}  // namespace portcullis::core
