#include "gateway/smtp/data_reader.h"

namespace portcullis::smtp {

void DataReader::emit(std::string& message, std::string_view bytes) {
  size_ += bytes.size();
  if (overflowed_) return;
  if (size_ > maxSize_) {
    overflowed_ = true;
    return;
  }
  message.append(bytes);
}

DataReader::Result DataReader::feed(std::string_view in, std::string& message) {
  size_t i = 0;
  const size_t n = in.size();
  auto violation = [&](std::string_view what) { return Result{Status::Violation, i, what}; };
  // A line end, `crlf` when it was a real one. Returns true if it ended the data: only a "."
  // line between two real CRLFs does. Any other "." line was stuffing with nothing after it.
  auto lineEnd = [&](bool crlf) {
    const bool after = prevLineCrlf_;
    prevLineCrlf_ = crlf;
    lineStart_ = true;
    if (dotLine_) {
      dotLine_ = false;
      if (crlf && after) return true;
      return false;  // normalise mode only: a lone "." at a bare line end is dropped
    }
    emitLineEnd(message);
    return false;
  };

  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(in[i]);
    if (pendingCr_) {
      pendingCr_ = false;
      if (c == '\n') {
        ++i;
        if (lineEnd(true)) return {Status::End, i, {}};
        continue;
      }
      if (mode_ == BareLineEndings::Reject) return violation("bare <CR>");
      lineEnd(false);  // the bare CR ended the line
      continue;        // reprocess c at the start of a new line
    }
    if (c == '\r') {
      pendingCr_ = true;
      ++i;
      continue;
    }
    if (c == '\n') {
      if (mode_ == BareLineEndings::Reject) return violation("bare <LF>");
      ++i;
      lineEnd(false);
      continue;
    }
    if (c == 0) return violation("NUL");
    if (lineStart_) {
      lineStart_ = false;
      if (c == '.') {
        // A leading dot is either the terminator or stuffing: either way it is not content.
        dotLine_ = true;
        ++i;
        continue;
      }
    } else if (dotLine_) {
      dotLine_ = false;  // "." followed by content: the dot was stuffing
    }
    // Fast path: copy the run of ordinary bytes up to the next special one.
    size_t j = i;
    while (j < n && in[j] != '\r' && in[j] != '\n' && in[j] != '\0') ++j;
    emit(message, in.substr(i, j - i));
    i = j;
  }
  return {Status::NeedMore, i, {}};
}

}  // namespace portcullis::smtp
