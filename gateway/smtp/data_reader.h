// The DATA phase byte reader. Message data ends only at <CRLF>.<CRLF>, in either mode. A bare
// LF, a bare CR or a NUL is a violation: by default the reader stops there (so the gateway can
// refuse the message and close), or, in normalise mode, bare LF and bare CR become CRLF line
// ends inside the message, and a "." line next to a bare line end (<LF>.<LF>, <CRLF>.<LF>,
// <CR>.<CR>...) ends nothing: it is dropped, neither content nor an end, as Postfix's
// smtpd_forbid_bare_newline = normalize does with a bare LF. Either way the gateway re-emits the message with
// canonical CRLF and its own dot-stuffing, so a downstream can never see a message boundary the
// gateway did not see (SMTP smuggling).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace portcullis::smtp {

enum class BareLineEndings { Reject, Normalize };

class DataReader {
 public:
  enum class Status { NeedMore, End, Violation };
  struct Result {
    Status status = Status::NeedMore;
    size_t consumed = 0;         // bytes of the input used; the rest belongs to the next command
    std::string_view violation;  // "bare <LF>", "bare <CR>", "NUL"
  };

  DataReader(BareLineEndings mode, uint64_t maxSize) : mode_(mode), maxSize_(maxSize) {}

  // Appends the dot-unstuffed message (CRLF line ends) to `message`, up to maxSize bytes;
  // past that it keeps reading to the end of data but stores nothing more.
  Result feed(std::string_view input, std::string& message);
  bool overflowed() const { return overflowed_; }

 private:
  void emit(std::string& message, std::string_view bytes);
  void emitLineEnd(std::string& message) { emit(message, "\r\n"); }

  BareLineEndings mode_;
  uint64_t maxSize_;
  uint64_t size_ = 0;
  bool overflowed_ = false;
  bool lineStart_ = true;     // next byte starts a line
  bool dotLine_ = false;      // the current line so far is a single leading "."
  bool pendingCr_ = false;    // saw CR, waiting to see whether LF follows
  bool prevLineCrlf_ = true;  // the line before this one ended in a real CRLF (or DATA did)
};

}  // namespace portcullis::smtp
