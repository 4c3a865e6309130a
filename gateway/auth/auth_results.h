// The Authentication-Results header field (RFC 8601): building ours, and recognising incoming
// ones that claim our authserv-id (which must go before the message is passed on, RFC 8601 5).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::auth {

struct AuthResultEntry {
  std::string method;                                           // spf, dkim, dmarc
  std::string result;                                           // pass, fail, ...
  std::string comment;                                          // without parentheses; may be empty
  std::vector<std::pair<std::string, std::string>> properties;  // ptype.property, value
};

// "authserv-id; method=result (comment) ptype.prop=value; ..." or "authserv-id; none".
std::string authResultsValue(const std::string& authservId,
                             const std::vector<AuthResultEntry>& entries);

// The authserv-id an Authentication-Results value names (lower case), skipping comments.
std::string authservIdOf(std::string_view value);

// A parsed Authentication-Results value: its authserv-id (lower case) and its results, with
// methods, results and property names in lower case. Lenient: what cannot be read is skipped,
// never guessed; an empty authservId means the value was not readable at all.
struct ParsedAuthResults {
  std::string authservId;
  std::vector<AuthResultEntry> entries;
};
ParsedAuthResults parseAuthResults(std::string_view value);

// Removes from `message` the Authentication-Results fields whose authserv-id is `authservId`
// (case-insensitive); returns how many.
int removeClaimedAuthResults(std::string& message, const std::string& authservId);

}  // namespace portcullis::auth
