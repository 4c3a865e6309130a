// Parsing one SMTP command line (without its CRLF) into a Command, or a syntax-error reply.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "gateway/core/address.h"
#include "gateway/core/reply.h"

namespace portcullis::smtp {

enum class Verb {
  Helo,
  Ehlo,
  Mail,
  Rcpt,
  Data,
  Rset,
  Noop,
  Quit,
  Vrfy,
  Expn,
  Help,
  StartTls,
  Bdat,
  Auth,
  Etrn,
  Unknown
};

struct Command {
  Verb verb = Verb::Unknown;
  std::string verbText;  // as the client sent it (for logs)
  std::string argument;  // everything after the verb and one space, untouched
  // MAIL and RCPT only:
  core::Address address;
  std::vector<std::pair<std::string, std::string>> params;  // ESMTP parameters, keys upper-cased
};

using ParseResult = std::variant<Command, core::Reply>;

ParseResult parseCommand(std::string_view line);

// Parses an RFC 5321 path "<...>" (brackets optional, as many real clients omit them) at the
// start of `text`; on success `text` is left at what follows. `allowNull` admits "<>".
std::variant<core::Address, core::Reply> parsePath(std::string_view& text, bool allowNull);

// A whole address given outside a command (a CLI option, a milter argument, a Return-Path
// field): with or without its angle brackets, "" or "<>" for the null path when `allowNull`.
// nullopt with `why` set when it is not an address.
std::optional<core::Address> parseAddressText(std::string_view text, bool allowNull,
                                              std::string* why = nullptr);

bool containsNonAscii(std::string_view s);

}  // namespace portcullis::smtp
