// The DATA reader under arbitrary bytes and arbitrary chunking. Invariants: the result does not
// depend on how the input was split; a stored message never contains a bare CR, bare LF or NUL
// (nothing a downstream could read as another boundary); consumed never exceeds the input; and
// in either mode data ends only at <CRLF>.<CRLF> (the first CRLF may be the DATA command's).
#include <cstdint>
#include <string>
#include <string_view>

#include "gateway/smtp/data_reader.h"

using portcullis::smtp::BareLineEndings;
using portcullis::smtp::DataReader;

namespace {
struct Outcome {
  DataReader::Status status;
  size_t consumed;
  std::string message;
};

Outcome run(std::string_view in, BareLineEndings mode, size_t chunk) {
  DataReader r(mode, 1 << 16);
  Outcome o{DataReader::Status::NeedMore, 0, {}};
  while (o.consumed < in.size()) {
    auto piece = in.substr(o.consumed, chunk);
    auto res = r.feed(piece, o.message);
    if (res.consumed > piece.size()) __builtin_trap();
    o.consumed += res.consumed;
    o.status = res.status;
    if (res.status != DataReader::Status::NeedMore) break;
  }
  return o;
}

void checkClean(const std::string& m) {
  for (size_t i = 0; i < m.size(); ++i) {
    if (m[i] == '\0') __builtin_trap();
    if (m[i] == '\n' && (i == 0 || m[i - 1] != '\r')) __builtin_trap();
    if (m[i] == '\r' && (i + 1 >= m.size() || m[i + 1] != '\n')) __builtin_trap();
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const size_t chunk = 1 + data[0] % 16;
  std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  for (auto mode : {BareLineEndings::Reject, BareLineEndings::Normalize}) {
    Outcome whole = run(in, mode, in.size() + 1);
    Outcome split = run(in, mode, chunk);
    if (whole.status != split.status || whole.consumed != split.consumed || whole.message != split.message)
      __builtin_trap();
    if (whole.status == DataReader::Status::End) {
      checkClean(whole.message);
      std::string_view used = in.substr(0, whole.consumed);
      if (!(used == ".\r\n" || used.ends_with("\r\n.\r\n"))) __builtin_trap();
    }
  }
  return 0;
}
