// Parses (possibly multi-line) SMTP replies from a downstream byte stream. Sans-I/O.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "gateway/core/reply.h"

namespace portcullis::relay {

class ReplyParser {
 public:
  void feed(std::string_view bytes) { buf_.append(bytes); }
  // The next complete reply, if the buffer holds one. A malformed line yields a reply with
  // code -1 and the offending text, so callers can fail the downstream cleanly.
  std::optional<core::Reply> next();
  // Each EHLO keyword of the last reply parsed (upper-cased first word of every line but the
  // first), for capability discovery.
  const std::string& lastText() const { return lastText_; }

 private:
  std::string buf_;
  std::string lastText_;
  static constexpr size_t kMaxReply = 64 * 1024;
};

}  // namespace portcullis::relay
