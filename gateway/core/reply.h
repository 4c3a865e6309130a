// An SMTP-style reply (code, enhanced status, text): the common currency in which checks,
// the relay and the front doors express an outcome.
#pragma once
#include <string>

namespace portcullis::core {

struct Reply {
  int code = 0;          // 0 means "no reply decided"
  std::string enhanced;  // "5.7.1"; empty when not applicable
  std::string text;

  bool empty() const { return code == 0; }
  bool positive() const { return code >= 200 && code < 400; }
  bool transient() const { return code >= 400 && code < 500; }
  bool permanent() const { return code >= 500; }
  // One or more reply lines, CRLF-terminated. Text with embedded newlines becomes a multi-line
  // reply; control characters are replaced so a reply can never inject a protocol line.
  std::string format() const;
  // "250 2.0.0 Ok" on one line, for logs.
  std::string summary() const;
};

Reply makeReply(int code, std::string enhanced, std::string text);

}  // namespace portcullis::core
