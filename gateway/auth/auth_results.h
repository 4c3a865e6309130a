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

// The authserv-id an Authentication-Results value names, read as RFC 8601 2.2 does and
// normalised for comparing as a domain name: comments skipped, a quoted-string unquoted, an
// RFC 2047 encoded word decoded, lower case, trailing dots removed. Empty when unreadable.
std::string authservIdOf(std::string_view value);

// Whether the value claims `authservId` (itself normalised the same way).
bool claimsAuthservId(std::string_view value, std::string_view authservId);

// A field name that starts as Authentication-Results but goes on with anything other than
// blanks (the colon already cut off): "Authentication-Results\xa0", "...-Results-X". Nobody
// writes one honestly, and a lenient reader downstream may still take it for the real field.
bool isMangledAuthResultsName(std::string_view name);

// A parsed Authentication-Results value: its authserv-id (lower case) and its results, with
// methods, results and property names in lower case. Lenient: what cannot be read is skipped,
// never guessed; an empty authservId means the value was not readable at all.
struct ParsedAuthResults {
  std::string authservId;
  std::vector<AuthResultEntry> entries;
};
ParsedAuthResults parseAuthResults(std::string_view value);

// Removes from `message` the Authentication-Results fields that claim `authservId`, and every
// field whose name is a mangled Authentication-Results (see above); returns how many.
int removeClaimedAuthResults(std::string& message, const std::string& authservId);

}  // namespace portcullis::auth
