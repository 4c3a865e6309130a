#include "gateway/core/reply.h"

#include <vector>

#include "gateway/core/text.h"

namespace portcullis::core {

Reply makeReply(int code, std::string enhanced, std::string text) {
  return Reply{code, std::move(enhanced), std::move(text)};
}

std::string Reply::format() const {
  std::vector<std::string_view> lines;
  std::string_view rest = text;
  while (true) {
    auto nl = rest.find('\n');
    lines.push_back(rest.substr(0, nl));
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  std::string out;
  const std::string codeStr = std::to_string(code);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out += codeStr;
    out += (i + 1 < lines.size()) ? '-' : ' ';
    if (!enhanced.empty()) {
      out += enhanced;
      if (!line.empty()) out += ' ';
    }
    out += withoutControls(line);
    out += "\r\n";
  }
  return out;
}

std::string Reply::summary() const {
  std::string out = std::to_string(code);
  if (!enhanced.empty()) out += " " + enhanced;
  if (!text.empty()) {
    out += " " + withoutControls(text);
  }
  return out;
}

}  // namespace portcullis::core
