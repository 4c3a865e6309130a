// Header lines longer than RFC 5322 2.1.1's 998 bytes. A downstream that splits such a line
// (Postfix does at line_length_limit, others at 998 or 1000) could find a header field in the
// second half that no check of ours ever judged. At the end of DATA, before the checks see the
// message, a long header line is refused (554 5.6.0) or, by config, folded at white space so
// that the fields and values our parser (mime/headers.h) reads are the same before and after;
// a line with no white space to fold at cannot be folded without changing it, and is refused
// in both modes. Body lines are left alone: nothing reads them as header fields.
#pragma once
#include <cstddef>
#include <optional>
#include <string>

#include "gateway/core/reply.h"

namespace portcullis::smtp {

enum class LongHeaderLines { Reject, Fold };

inline constexpr size_t kMaxHeaderLine = 998;  // bytes, without the CRLF

struct HeaderLineLimit {
  std::optional<core::Reply> refusal;  // 554 5.6.0 naming the line; the message is unchanged
  size_t folded = 0;                   // lines folded (Fold mode)
};

// `message` has CRLF line ends (as the DATA reader stores it); folded in place in Fold mode.
HeaderLineLimit limitHeaderLines(std::string& message, LongHeaderLines mode);

}  // namespace portcullis::smtp
