// An envelope address (RFC 5321 Mailbox) as the gateway keeps it: local part and domain, with
// source routes already dropped by the parser.
#pragma once
#include <string>

namespace portcullis::core {

struct Address {
  std::string local;   // unquoted form (quotes and backslashes removed)
  std::string domain;  // as sent; compare with lowercase()
  bool null = false;   // the null reverse-path <>
  bool quotedLocal = false;
  bool routed = false;  // a source route was present and dropped

  // RFC 5321 wire form, re-quoting the local part where it needs it.
  std::string str() const;
  std::string domainLower() const;
};

}  // namespace portcullis::core
