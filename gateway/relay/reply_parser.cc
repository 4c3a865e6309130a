#include "gateway/relay/reply_parser.h"

#include <cctype>

namespace portcullis::relay {

namespace {
bool looksLikeEnhanced(std::string_view s) {
  // class.subject.detail, e.g. 2.1.0 / 5.7.1 / 4.4.2
  if (s.size() < 5 || (s[0] != '2' && s[0] != '4' && s[0] != '5') || s[1] != '.') return false;
  size_t dots = 0;
  for (char c : s) {
    if (c == '.')
      ++dots;
    else if (!std::isdigit(static_cast<unsigned char>(c)))
      return false;
  }
  return dots == 2;
}
}  // namespace

std::optional<core::Reply> ReplyParser::next() {
  size_t pos = 0;
  std::string text;
  int code = 0;
  while (true) {
    auto nl = buf_.find('\n', pos);
    if (nl == std::string::npos) {
      if (buf_.size() > kMaxReply) {
        buf_.clear();
        return core::Reply{-1, "", "reply too long"};
      }
      return std::nullopt;
    }
    std::string_view line(buf_.data() + pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // RFC 5321 4.2: the first digit is 2-5 (1yz is unused in SMTP), the others digits.
    if (line.size() < 3 || line[0] < '2' || line[0] > '5' ||
        !std::isdigit(static_cast<unsigned char>(line[1])) ||
        !std::isdigit(static_cast<unsigned char>(line[2])) ||
        (line.size() > 3 && line[3] != ' ' && line[3] != '-')) {
      std::string bad(line.substr(0, 80));
      buf_.erase(0, nl + 1);
      return core::Reply{-1, "", "malformed reply line: " + bad};
    }
    int lineCode = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    if (code == 0) code = lineCode;
    if (lineCode != code) {
      buf_.erase(0, nl + 1);
      return core::Reply{-1, "", "inconsistent codes in multi-line reply"};
    }
    if (!text.empty()) text += '\n';
    text += line.size() > 4 ? line.substr(4) : std::string_view{};
    pos = nl + 1;
    if (line.size() == 3 || line[3] == ' ') break;
  }
  buf_.erase(0, pos);
  lastText_ = text;
  core::Reply r{code, "", ""};
  // Split the enhanced status code off the first line (it repeats on continuation lines).
  std::string out;
  size_t start = 0;
  bool first = true;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    std::string_view l(text.data() + start, (end == std::string::npos ? text.size() : end) - start);
    auto sp = l.find(' ');
    std::string_view head = l.substr(0, sp);
    if (looksLikeEnhanced(head) && head[0] == static_cast<char>('0' + code / 100)) {
      if (first) r.enhanced = std::string(head);
      l = sp == std::string_view::npos ? std::string_view{} : l.substr(sp + 1);
    }
    if (!first) out += '\n';
    out += l;
    first = false;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  r.text = std::move(out);
  return r;
}

}  // namespace portcullis::relay
