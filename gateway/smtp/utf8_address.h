// RFC 6531 envelopes: with SMTPUTF8 an address may carry UTF-8, and only UTF-8 as RFC 3629
// defines it (no overlong forms, no UTF-16 surrogates, nothing past U+10FFFF), without control
// characters, C1 included. Anything else would be relayed verbatim to a downstream, a log line
// or a header field that reads the bytes differently from us.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "gateway/core/address.h"
#include "gateway/core/reply.h"

namespace portcullis::smtp {

// What makes `s` something other than strict UTF-8 without controls ("overlong encoding at
// byte 3"), or nullopt when it is fine.
std::optional<std::string> utf8Problem(std::string_view s);

// For an address of a SMTPUTF8 transaction: 553 5.6.7 naming the fault, or nullopt.
std::optional<core::Reply> checkSmtpUtf8Address(const core::Address& a);

}  // namespace portcullis::smtp
