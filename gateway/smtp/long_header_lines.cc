#include "gateway/smtp/long_header_lines.h"

#include <algorithm>
#include <string_view>

#include "gateway/mime/headers.h"

namespace portcullis::smtp {

namespace {

bool isWsp(char c) {
  return c == ' ' || c == '\t';
}

// Where the header section ends for a quick look: the first empty line (or the end).
bool anyLongLineBeforeBlank(std::string_view m) {
  size_t pos = 0;
  while (pos < m.size()) {
    size_t nl = m.find("\r\n", pos);
    size_t end = nl == std::string_view::npos ? m.size() : nl;
    if (end == pos) return false;
    if (end - pos > kMaxHeaderLine) return true;
    if (nl == std::string_view::npos) return false;
    pos = nl + 2;
  }
  return false;
}

// Folds `line` into lines of at most 998 bytes by inserting CRLF before white space, or returns
// false. A fold goes only where a run of white space starts after visible text and more
// visible text follows, so that no line is empty or white space only (many parsers end the
// header section there) and, in a field's first line, only after the colon (the name stays
// whole). Unfolding (removing each CRLF) gives `line` back byte for byte.
bool fold(std::string_view line, size_t firstAllowed, std::string& out) {
  size_t lastVisible = line.size();
  while (lastVisible > 0 && isWsp(line[lastVisible - 1])) --lastVisible;
  size_t start = 0;
  while (line.size() - start > kMaxHeaderLine) {
    size_t cut = 0;
    for (size_t p = std::min(start + kMaxHeaderLine, line.size() - 1); p > start; --p) {
      if (p < firstAllowed || p >= lastVisible) continue;
      if (isWsp(line[p]) && !isWsp(line[p - 1])) {
        cut = p;
        break;
      }
    }
    if (cut == 0) return false;
    out.append(line.substr(start, cut - start));
    out.append("\r\n");
    start = cut;
  }
  out.append(line.substr(start));
  return true;
}

core::Reply refuse(size_t lineNo, size_t length, bool unfoldable) {
  return core::makeReply(554, "5.6.0",
                         "Error: header line " + std::to_string(lineNo) + " is " +
                             std::to_string(length) + " bytes; RFC 5322 allows 998" +
                             (unfoldable ? ", and it has no white space to fold at" : ""));
}

}  // namespace

HeaderLineLimit limitHeaderLines(std::string& message, LongHeaderLines mode) {
  HeaderLineLimit result;
  if (!anyLongLineBeforeBlank(message)) return result;
  // The header section as our parser reads it: what the checks judge as header fields.
  const size_t headerEnd = mime::parseHeaderSection(message).bodyOffset;
  std::string out;
  bool seenField = false;
  size_t pos = 0;
  size_t lineNo = 0;
  while (pos < headerEnd) {
    size_t nl = message.find("\r\n", pos);
    size_t end = nl == std::string::npos ? message.size() : nl;
    size_t next = nl == std::string::npos ? message.size() : nl + 2;
    std::string_view line(message.data() + pos, end - pos);
    ++lineNo;
    // The parser skips a leading mbox "From " line; any other line starting with white space
    // after a field is its continuation, and every other line starts a field.
    const bool mboxLine = lineNo == 1 && line.starts_with("From ");
    const bool continuation = !mboxLine && seenField && !line.empty() && isWsp(line.front());
    if (!mboxLine && !continuation) seenField = true;
    if (line.size() > kMaxHeaderLine) {
      if (mode == LongHeaderLines::Reject) {
        result.refusal = refuse(lineNo, line.size(), false);
        return result;
      }
      size_t firstAllowed = 1;
      if (!continuation) {
        size_t colon = line.find(':');
        firstAllowed = colon == std::string_view::npos || mboxLine ? line.size() : colon + 1;
      }
      if (!fold(line, firstAllowed, out)) {
        result.refusal = refuse(lineNo, line.size(), true);
        result.folded = 0;
        return result;
      }
      ++result.folded;
    } else {
      out.append(line);
    }
    out.append(message, end, next - end);
    pos = next;
  }
  if (result.folded == 0) return result;
  out.append(message, pos);
  message = std::move(out);
  return result;
}

}  // namespace portcullis::smtp
