// Re-applies SMTP dot-stuffing (RFC 5321 4.5.2) to a CRLF message streamed in chunks, and
// writes the terminator.
#pragma once
#include <string>
#include <string_view>

namespace portcullis::relay {

class DotStuffer {
 public:
  void append(std::string_view chunk, std::string& out);
  // Ends the message: a final CRLF if the message lacks one, then ".\r\n".
  void finish(std::string& out);

 private:
  bool lineStart_ = true;
  bool lastWasCr_ = false;
  bool empty_ = true;
  bool endsWithCrlf_ = false;
};

}  // namespace portcullis::relay
