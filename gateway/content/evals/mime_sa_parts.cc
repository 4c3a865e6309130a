#include "gateway/content/evals/mime_sa_parts.h"

#include <algorithm>
#include <deque>
#include <map>
#include <optional>

#include "gateway/mime/transfer_decoding.h"

namespace portcullis::content::evals {
namespace {

// SpamAssassin's limits (Constants.pm, Message.pm).
constexpr size_t kMaxBodyLineLength = 2048;
constexpr size_t kMaxHeaderKeyLength = 256;
constexpr size_t kMaxHeaderValueLength = 8192;
constexpr size_t kMaxPartsPerMultipart = 1000;
constexpr int kSubparseLevels = 20;
// SpamAssassin has no overall bound; 20 levels of 1000 parts could still exhaust memory here.
constexpr size_t kMaxPartsOverall = 20000;

// Perl's \s on byte strings.
bool isSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool isWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
std::string toLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}
bool startsWithNoCase(std::string_view s, size_t at, std::string_view word) {
  if (s.size() - at < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i)
    if (lower(s[at + i]) != word[i]) return false;
  return true;
}
bool allSpace(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return isSpace(c); });
}
bool hasNonSpace(std::string_view s) {
  return !allSpace(s);
}

// /^[\041-\071\073-\176]+[ \t]*:/ (withBlanks) or /^[\041-\071\073-\176]+:/.
bool looksLikeHeaderField(std::string_view line, bool withBlanks) {
  size_t i = 0;
  while (i < line.size() && line[i] >= '\041' && line[i] <= '\176' && line[i] != ':') ++i;
  if (i == 0) return false;
  if (withBlanks)
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  return i < line.size() && line[i] == ':';
}

// A parameter value the way parse_content_type's /\bKEY\s*=\s*["']?(.*?)["']?(?:;|$)/i
// captures it, starting right after the '='.
std::optional<std::string> lazyParamValue(std::string_view ct, size_t at) {
  while (at < ct.size() && isSpace(ct[at])) ++at;
  auto tryFrom = [&](size_t start) -> std::optional<std::string> {
    for (size_t i = start; i <= ct.size(); ++i) {
      auto endsHere = [&](size_t j) {
        return j == ct.size() || (j + 1 == ct.size() && ct[j] == '\n') || ct[j] == ';';
      };
      if (endsHere(i)) return std::string(ct.substr(start, i - start));
      if ((ct[i] == '"' || ct[i] == '\'') && endsHere(i + 1))
        return std::string(ct.substr(start, i - start));
      if (ct[i] == '\n') return std::nullopt;  // '.' stops at a newline
    }
    return std::nullopt;
  };
  if (at < ct.size() && (ct[at] == '"' || ct[at] == '\'')) {
    if (auto v = tryFrom(at + 1)) return v;
  }
  return tryFrom(at);
}

// The first /\b(KEY)\s*=/i in `ct` (KEY one of `keys`), returning the offset after '='.
std::optional<size_t> findParam(std::string_view ct, std::initializer_list<std::string_view> keys,
                                size_t from = 0) {
  for (size_t i = from; i < ct.size(); ++i) {
    if (i > 0 && isWordChar(ct[i - 1])) continue;
    for (std::string_view key : keys) {
      if (!startsWithNoCase(ct, i, key)) continue;
      size_t j = i + key.size();
      while (j < ct.size() && isSpace(ct[j])) ++j;
      if (j < ct.size() && ct[j] == '=') return j + 1;
    }
  }
  return std::nullopt;
}

}  // namespace

SaContentType parseSaContentType(std::string_view value) {
  SaContentType out;
  std::string ct(value);
  if (ct.empty() || ct == "0") {
    out.missing = true;
    ct = "text/plain; charset=us-ascii";
  }
  // boundary: m!\bboundary\s*=\s*("[^"]+|[^\s";]+(?=[\s;]|$))!i, the first that matches.
  for (size_t from = 0; auto eq = findParam(ct, {"boundary"}, from);) {
    size_t at = *eq;
    while (at < ct.size() && isSpace(ct[at])) ++at;
    std::string found;
    bool ok = false;
    if (at < ct.size() && ct[at] == '"') {
      size_t end = ct.find('"', at + 1);
      if (end == std::string::npos) end = ct.size();
      if (end > at + 1) {
        found = ct.substr(at + 1, end - at - 1);
        ok = true;
      }
    } else {
      size_t end = at;
      while (end < ct.size() && !isSpace(ct[end]) && ct[end] != '"' && ct[end] != ';') ++end;
      bool followOk = end == ct.size() || isSpace(ct[end]) || ct[end] == ';';
      if (end > at && followOk) {
        found = ct.substr(at, end - at);
        ok = true;
      }
    }
    if (ok) {
      std::erase(found, '"');
      out.hasBoundary = true;
      out.boundary = found;
      break;
    }
    from = *eq;
  }
  if (auto eq = findParam(ct, {"charset"})) {
    if (auto v = lazyParamValue(ct, *eq)) {
      out.hasCharset = true;
      out.charset = *v;
    }
  }
  if (auto eq = findParam(ct, {"filename", "name"})) {
    if (auto v = lazyParamValue(ct, *eq)) out.name = *v;
  }
  if (out.name.empty() && (findParam(ct, {"filename*0", "name*0"}))) {
    // RFC 2231 continuations: name*N pieces joined in index order.
    std::map<size_t, std::string> pieces;
    for (size_t from = 0; from < ct.size(); ++from) {
      if (from > 0 && isWordChar(ct[from - 1])) continue;
      size_t k = from;
      if (startsWithNoCase(ct, k, "file")) k += 4;
      if (!startsWithNoCase(ct, k, "name*")) continue;
      k += 5;
      size_t digits = k;
      while (k < ct.size() && ct[k] >= '0' && ct[k] <= '9') ++k;
      if (k == digits || k - digits > 6) continue;
      size_t index = std::stoul(ct.substr(digits, k - digits));
      while (k < ct.size() && isSpace(ct[k])) ++k;
      if (k >= ct.size() || ct[k] != '=') continue;
      if (auto v = lazyParamValue(ct, k + 1)) pieces[index] = *v;
    }
    for (auto& [index, piece] : pieces) out.name += piece;
  }
  // The type itself.
  std::string_view t = ct;
  while (!t.empty() && isSpace(t.front())) t.remove_prefix(1);
  if (size_t semi = t.find(';'); semi != std::string_view::npos) t = t.substr(0, semi);
  size_t slash = t.find('/');
  std::string type;
  if (slash == 0) {
    type.clear();  // [^/]+ needs one character
  } else if (slash == std::string_view::npos) {
    type = std::string(t);
  } else {
    size_t end = slash + 1;
    while (end < t.size() && t[end] != '/' && !isSpace(t[end])) ++end;
    type = std::string(t.substr(0, end));
  }
  type = toLower(type);
  if (type.empty()) out.missing = true;
  bool textWord = type.starts_with("text") && (type.size() == 4 || !isWordChar(type[4]));
  if (type.empty() ||
      (textWord && type != "text/x-vcard" && type != "text/calendar" && type != "text/html"))
    type = "text/plain";
  std::erase_if(type, [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u <= 040 || u >= 0177 || c == '"' || c == '(' || c == ')' || c == ',' ||
           (c >= ':' && c <= '@') || c == '[' || c == '\\' || c == ']';
  });
  out.type = type;
  return out;
}

std::string SaPart::header(std::string_view name) const {
  for (auto it = headers.rbegin(); it != headers.rend(); ++it)
    if (it->first == name) return it->second;
  return {};
}

std::vector<std::string> SaPart::headerAll(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [key, value] : headers)
    if (key == name) out.push_back(value);
  return out;
}

std::string SaPart::decode(size_t limit) const {
  std::string joined;
  for (const auto& line : raw) joined += line;
  std::string encoding = toLower(header("content-transfer-encoding"));
  std::string out;
  auto crlfToLf = [](std::string s) {
    std::string o;
    o.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i)
      if (!(s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n')) o += s[i];
    return o;
  };
  if (encoding == "quoted-printable") {
    out = crlfToLf(mime::decodeQuotedPrintable(joined).bytes);
  } else if (encoding == "base64") {
    out = mime::decodeBase64(joined).bytes;
    if (type.starts_with("text/") || type.starts_with("message/")) out = crlfToLf(std::move(out));
  } else {
    out = std::move(joined);
  }
  if (out.size() > limit) out.resize(limit);
  return out;
}

namespace {

std::vector<std::string> splitLines(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.emplace_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

// Node::header's stored form of a value.
std::string cleanHeaderValue(std::string value) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\n' && i + 1 < value.size() && (value[i + 1] == ' ' || value[i + 1] == '\t')) {
      out += ' ';
      ++i;
      while (i + 1 < value.size() && (value[i + 1] == ' ' || value[i + 1] == '\t')) ++i;
      continue;
    }
    out += value[i];
  }
  while (!out.empty() && isSpace(out.back())) out.pop_back();
  size_t lead = 0;
  while (lead < out.size() && isSpace(out[lead])) ++lead;
  return out.substr(lead);
}

struct ParseJob {
  size_t part;
  bool hasBoundary;
  std::string boundary;
  std::vector<std::string> body;
  int subparse;
};

class TreeBuilder {
 public:
  explicit TreeBuilder(SaMimeTree& tree) : tree_(tree) {}

  // Message->new: the header section into `part`, then the body queued for parsing.
  void parseMessage(std::string_view text, size_t part, int subparse, bool top) {
    std::vector<std::string> message = splitLines(text);
    if (message.empty()) message.emplace_back("\n");
    size_t first = 0;
    // /^From\s+(?!:)/: the lookahead fails only after a single blank followed by ':'.
    if (message[0].starts_with("From") && message[0].size() > 4 && isSpace(message[0][4])) {
      size_t k = 4;
      while (k < message[0].size() && isSpace(message[0][k])) ++k;
      if (k - 4 > 1 || k >= message[0].size() || message[0][k] != ':') first = 1;
    }
    bool crlf = (first < message.size() && message[first].find("\r\n") != std::string::npos) ||
                message.back().find("\r\n") != std::string::npos;
    std::string lineEnding = crlf ? "\r\n" : "\n";
    auto flag = [&](bool SaMimeTree::*member) {
      if (top) tree_.*member = true;
    };

    size_t next = first;
    int headerErrors = 0;
    std::optional<std::string> header;
    for (;;) {
      bool eof = next >= message.size();
      std::string current = eof ? lineEnding : message[next++];
      if (crlf) {
        std::string fixed;
        for (size_t i = 0; i < current.size(); ++i) {
          if (current[i] == '\n' && (i == 0 || current[i - 1] != '\r')) fixed += '\r';
          fixed += current[i];
        }
        current = std::move(fixed);
      }
      if (!current.empty() && (current[0] == ' ' || current[0] == '\t')) {
        if (!header) header.emplace();
        *header += current;
        continue;
      }
      if (header) storeTopHeader(*header, part, crlf, top);
      if (current == lineEnding) {
        if (eof) flag(&SaMimeTree::missingHeadBodySeparator);
        break;
      }
      if (current.starts_with("--")) {
        flag(&SaMimeTree::missingHeadBodySeparator);
        --next;
        break;
      }
      if (!looksLikeHeaderField(current, true) && ++headerErrors > 3) {
        flag(&SaMimeTree::missingHeadBodySeparator);
        --next;
        break;
      }
      header = std::move(current);
    }

    std::vector<std::string> body(message.begin() + static_cast<std::ptrdiff_t>(next),
                                  message.end());
    if (top) {
      size_t length = 0;
      for (const auto& line : body) length += line.size();
      tree_.pristineBodyLength = length;
    }
    squashBlankRuns(body, crlf);

    SaContentType ct = parseSaContentType(lastHeaderForParse(part));
    tree_.parts[part].type = ct.type;
    if (ct.type.starts_with("multipart/") && body.size() > 1 && hasNonSpace(body[0])) {
      if (!ct.hasBoundary || !startsWithBoundary(body[0], ct.boundary))
        body.insert(body.begin(), "\n");
    }
    queue_.push_back({part, ct.hasBoundary, ct.boundary, std::move(body), subparse});
  }

  void run() {
    while (!queue_.empty()) {
      ParseJob job = std::move(queue_.front());
      queue_.pop_front();
      SaPart& part = tree_.parts[job.part];
      if (part.type.starts_with("multipart/") && job.hasBoundary && job.subparse > 0) {
        parseMultipart(job);
        continue;
      }
      parseNormal(job);
      const std::string type = tree_.parts[job.part].type;
      if ((type == "message/rfc822" || type == "message/global") && job.subparse > 0 &&
          tree_.parts.size() < kMaxPartsOverall) {
        std::string decoded = tree_.parts[job.part].decode();
        if (decoded.empty()) continue;
        size_t child = addPart();
        tree_.parts[job.part].leaf = false;
        tree_.parts[job.part].children.push_back(child);
        tree_.parts[job.part].raw.clear();
        parseMessage(decoded, child, job.subparse - 1, false);
      }
    }
    tree_.missingBoundary = std::any_of(boundaryState_.begin(), boundaryState_.end(),
                                        [](const auto& entry) { return entry.second != 0; });
  }

 private:
  size_t addPart() {
    tree_.parts.emplace_back();
    return tree_.parts.size() - 1;
  }

  std::string lastHeaderForParse(size_t part) const {
    auto values = tree_.parts[part].headerAll("content-type");
    return values.empty() ? std::string() : values.back() + "\n";
  }

  void storeTopHeader(const std::string& header, size_t part, bool crlf, bool top) {
    size_t colon = header.find(':');
    if (colon == std::string::npos) return;
    std::string key = header.substr(0, colon);
    std::string value = header.substr(colon + 1);
    if (crlf) {
      std::string fixed;
      for (size_t i = 0; i < value.size(); ++i)
        if (!(value[i] == '\r' && i + 1 < value.size() && value[i + 1] == '\n')) fixed += value[i];
      value = std::move(fixed);
    }
    while (!key.empty() && (key.back() == ' ' || key.back() == '\t')) key.pop_back();
    if (key.size() > kMaxHeaderKeyLength) {
      key.resize(kMaxHeaderKeyLength);
      if (top) tree_.truncatedHeader = true;
    }
    if (value.size() > kMaxHeaderValueLength) {
      value.resize(kMaxHeaderValueLength);
      if (top) tree_.truncatedHeader = true;
    }
    tree_.parts[part].headers.emplace_back(toLower(key), cleanHeaderValue(value));
  }

  static void squashBlankRuns(std::vector<std::string>& message, bool crlf) {
    // Message->new merges runs of more than 20 blank lines, from the end backwards.
    std::optional<size_t> start;
    for (size_t n = message.size(); n-- > 0;) {
      std::string& line = message[n];
      if (crlf && line.size() >= 2 && line.ends_with("\r\n")) line.erase(line.size() - 2, 1);
      if (allSpace(line)) {
        if (!start) start = n;
        if (n != 0) continue;
      }
      if (start) {
        size_t num = *start - n;
        if (num > 20) {
          auto from = message.begin() + static_cast<std::ptrdiff_t>(n + 2);
          message.erase(from, from + static_cast<std::ptrdiff_t>(num - 20));
        }
        start.reset();
      }
    }
  }

  static bool startsWithBoundary(std::string_view line, std::string_view boundary) {
    return line.starts_with("--") && line.substr(2).starts_with(boundary);
  }
  // /^--\Q$boundary\E(--)?\s*$/: 0 no, 1 a boundary, 2 the closing one.
  static int boundaryKind(std::string_view line, std::string_view boundary) {
    if (!startsWithBoundary(line, boundary)) return 0;
    std::string_view rest = line.substr(2 + boundary.size());
    if (rest.starts_with("--") && allSpace(rest.substr(2))) return 2;
    return allSpace(rest) ? 1 : 0;
  }

  void pushBodyLine(std::vector<std::string>& lines, std::string line) {
    while (line.size() > kMaxBodyLineLength) {
      lines.push_back(line.substr(0, kMaxBodyLineLength) + "\n");
      line.erase(0, kMaxBodyLineLength);
    }
    lines.push_back(std::move(line));
  }

  void storePartHeader(size_t part, const std::string& header) {
    // split(/:\s*/, $header, 2)
    size_t colon = header.find(':');
    if (colon == std::string::npos) return;
    size_t valueStart = colon + 1;
    while (valueStart < header.size() && isSpace(header[valueStart])) ++valueStart;
    tree_.parts[part].headers.emplace_back(toLower(header.substr(0, colon)),
                                           cleanHeaderValue(header.substr(valueStart)));
  }

  void parseMultipart(ParseJob& job) {
    SaPart& self = tree_.parts[job.part];
    self.leaf = false;
    const std::string parentType = self.type;
    int subparse = job.subparse - 1;
    std::vector<std::string>& body = job.body;
    const std::string& boundary = job.boundary;

    size_t line = 0;
    for (; line < body.size(); ++line) {
      if (boundaryKind(body[line], boundary) == 1) {
        boundaryState_[boundary] = 1;
        if (line + 1 < body.size() && !looksLikeHeaderField(body[line + 1], false))
          tree_.missingMimeHeaders = true;
        break;
      }
    }
    if (line < body.size()) body.erase(body.begin(), body.begin() + static_cast<long>(line) + 1);

    bool nestedBoundary = false;
    bool inBody = false;
    std::optional<std::string> header;
    std::optional<std::vector<std::string>> partLines;
    size_t partCount = 0;
    size_t current = addPartDetached();
    size_t lineCount = body.size();
    for (size_t i = 0; i < body.size(); ++i) {
      std::string& text = body[i];
      int kind = boundaryKind(text, boundary);
      bool foundEnd = kind != 0;
      bool foundLastEnd = kind == 2;
      if (foundEnd && nestedBoundary) {
        foundEnd = false;
        if (foundLastEnd) nestedBoundary = false;
      }
      if (--lineCount == 0 || foundEnd) {
        if (!foundEnd) {
          if (!partLines) partLines.emplace();
          pushBodyLine(*partLines, text);
        } else if (partLines && !partLines->empty()) {
          std::string& last = partLines->back();
          if (!last.empty() && last.back() == '\n') last.pop_back();
          if (last.empty()) partLines->pop_back();
        } else if (!partLines) {
          partLines.emplace();
        }
        // A header still pending at the boundary is never stored (as in SpamAssassin).
        SaContentType ct = parseSaContentType(lastHeaderForParse(current));
        tree_.parts[current].type = ct.type;
        if (ct.missing && parentType == "multipart/digest")
          tree_.parts[current].type = "message/rfc822";
        bool hasBoundary = ct.hasBoundary && !ct.boundary.empty();
        std::string partBoundary = hasBoundary ? ct.boundary : boundary;
        tree_.parts[job.part].children.push_back(current);
        queue_.push_back({current, true, std::move(partBoundary), std::move(*partLines), subparse});
        if (foundLastEnd) {
          --boundaryState_[boundary];
          current = tree_.parts.size();  // nothing pending
          break;
        }
        if (lineCount && !looksLikeHeaderField(body[body.size() - lineCount], false))
          tree_.missingMimeHeaders = true;
        if (++partCount == kMaxPartsPerMultipart || tree_.parts.size() >= kMaxPartsOverall) {
          tree_.mimepartLimitExceeded = true;
          return;
        }
        inBody = false;
        current = addPartDetached();
        partLines.reset();
        header.reset();
        continue;
      }
      if (!inBody) {
        if (looksLikeHeaderField(text, true)) {
          if (header) storePartHeader(current, *header);
          header = text;
          continue;
        }
        if (!text.empty() && (text[0] == ' ' || text[0] == '\t') && header && !header->empty()) {
          *header += text;
          continue;
        }
        if (header && !header->empty()) {
          storePartHeader(current, *header);
          std::string key = toLower(header->substr(0, header->find(':')));
          if (key == "content-type") {
            SaContentType nested = parseSaContentType(lastHeaderForParse(current));
            if (nested.hasBoundary && nested.boundary == boundary) nestedBoundary = true;
          }
        }
        header.reset();
        inBody = true;
        if (text == "\n" || text == "\r\n" || text.empty()) continue;
        tree_.missingMimeHeadBodySeparator = true;
      }
      if (!partLines) partLines.emplace();
      pushBodyLine(*partLines, std::move(text));
    }
    // A part started but never finished is dropped, as SpamAssassin drops it.
    if (current + 1 == tree_.parts.size() && tree_.parts.back().type.empty())
      tree_.parts.pop_back();
    for (; lineCount > 0; --lineCount) {
      const std::string& rest = body[body.size() - lineCount];
      if (std::any_of(rest.begin(), rest.end(), [](char c) { return !isSpace(c) && c != '.'; })) {
        tree_.mimeEpilogueExists = true;
        break;
      }
    }
  }

  // A part not yet attached: its type is set when its end is found.
  size_t addPartDetached() {
    size_t index = addPart();
    tree_.parts[index].type.clear();
    return index;
  }

  void parseNormal(ParseJob& job) {
    SaPart& part = tree_.parts[job.part];
    SaContentType ct = parseSaContentType(lastHeaderForParse(job.part));
    if (!ct.missing)
      part.type = (!ct.type.starts_with("multipart/") || job.hasBoundary) ? ct.type : "text/plain";
    std::string disposition = part.header("content-disposition");
    // /name=\s*"?([^";]+)"?/i
    std::string lowered = toLower(disposition);
    size_t at = lowered.find("name=");
    std::string name;
    if (at != std::string::npos) {
      size_t k = at + 5;
      while (k < disposition.size() && isSpace(disposition[k])) ++k;
      if (k < disposition.size() && disposition[k] == '"') ++k;
      size_t end = k;
      while (end < disposition.size() && disposition[end] != '"' && disposition[end] != ';') ++end;
      name = disposition.substr(k, end - k);
    }
    part.name = name.empty() ? ct.name : name;
    part.raw = std::move(job.body);
  }

  SaMimeTree& tree_;
  std::deque<ParseJob> queue_;
  std::map<std::string, int> boundaryState_;
};

}  // namespace

SaMimeTree parseSaMimeTree(std::string_view raw) {
  SaMimeTree tree;
  tree.parts.emplace_back();
  TreeBuilder builder(tree);
  builder.parseMessage(raw, 0, kSubparseLevels, true);
  builder.run();
  return tree;
}

std::vector<std::string> splitIntoShortParagraphs(const std::string& text) {
  const size_t max = kMaxBodyLineLength;
  if (text.size() <= max) return {text};
  std::vector<std::string> result;
  size_t ofs = 0;
  for (; text.size() - ofs > 2 * max;) {
    auto within = [&](size_t j) { return j != std::string::npos && j - ofs + 1 <= 2 * max; };
    size_t j = text.find('\n', ofs + max);
    if (!within(j)) {
      j = text.find('>', ofs + max);
      if (!within(j)) {
        j = text.find(' ', ofs + max);
        if (!within(j)) j = ofs + max;
      }
    }
    result.push_back(text.substr(ofs, j - ofs + 1));
    ofs = j + 1;
  }
  if (ofs < text.size()) result.push_back(text.substr(ofs));
  return result;
}

}  // namespace portcullis::content::evals
