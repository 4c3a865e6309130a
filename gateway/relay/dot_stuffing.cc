#include "gateway/relay/dot_stuffing.h"

namespace portcullis::relay {

void DotStuffer::append(std::string_view chunk, std::string& out) {
  out.reserve(out.size() + chunk.size() + chunk.size() / 64);
  size_t runStart = 0;
  for (size_t i = 0; i < chunk.size(); ++i) {
    const char c = chunk[i];
    if (lineStart_ && c == '.') {
      out.append(chunk.substr(runStart, i - runStart));
      out.push_back('.');
      runStart = i;
    }
    lineStart_ = lastWasCr_ && c == '\n';
    lastWasCr_ = c == '\r';
  }
  out.append(chunk.substr(runStart));
  if (!chunk.empty()) {
    empty_ = false;
    endsWithCrlf_ = lineStart_;
  }
}

void DotStuffer::finish(std::string& out) {
  if (!empty_ && !endsWithCrlf_) out += "\r\n";
  out += ".\r\n";
}

}  // namespace portcullis::relay
