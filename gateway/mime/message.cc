#include "gateway/mime/message.h"

#include <algorithm>
#include <deque>
#include <set>

#include "gateway/mime/charset.h"
#include "gateway/mime/html.h"
#include "gateway/mime/params.h"
#include "gateway/mime/sniff.h"
#include "gateway/mime/transfer_decoding.h"
#include "gateway/mime/urls.h"

namespace portcullis::mime {

bool Part::isAttachment() const {
  if (disposition == "attachment") return true;
  if (!filename.empty() && !(type == "text" && disposition == "inline")) return true;
  return type != "text" && type != "multipart" && type != "message";
}

const Header* Part::header(std::string_view name) const {
  for (const auto& h : headers)
    if (iequals(h.name, name)) return &h;
  return nullptr;
}

namespace {

class Parser {
 public:
  Parser(Message& m, const Limits& l) : msg_(m), limits_(l) {}

  void anomaly(const char* symbol) {
    if (seen_.insert(symbol).second) msg_.anomalies.emplace_back(symbol);
  }

  // Parses one entity (headers + body) into `part`.
  void entity(std::string_view raw, Part& part, int depth, std::string_view defaultType) {
    if (outOfTime()) return;
    if (++msg_.partCount > limits_.maxParts) {
      anomaly("MIME_PART_LIMIT");
      return;
    }
    part.depth = depth;
    HeaderSection hs = parseHeaderSection(raw);
    if (hs.eightBit) {
      msg_.headerEightBit = true;
      anomaly("MIME_8BIT_HEADER");
    }
    if (hs.badEncodedWord) anomaly("MIME_BAD_ENCODED_WORD");
    part.headers = std::move(hs.fields);
    std::string_view body = hs.bodyOffset <= raw.size() ? raw.substr(hs.bodyOffset) : std::string_view{};

    ParamValue ct;
    if (const Header* h = part.header("Content-Type")) {
      ct = parseParamValue(h->value);
      if (ct.malformed) anomaly("MIME_BAD_PARAMETER");
    }
    auto slash = ct.token.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == ct.token.size()) {
      if (!ct.token.empty()) anomaly("MIME_BAD_CONTENT_TYPE");
      ct.token = std::string(defaultType);
      slash = ct.token.find('/');
    }
    part.type = ct.token.substr(0, slash);
    part.subtype = ct.token.substr(slash + 1);
    part.params = std::move(ct.params);
    if (const Header* h = part.header("Content-Transfer-Encoding")) part.transferEncoding = lower(h->value);
    // RFC 2045 6.4: a multipart or message entity is never encoded, only 7bit, 8bit or binary
    // (Postfix's "invalid message/* or multipart/* encoding domain").
    if ((part.type == "multipart" || part.type == "message") &&
        (part.transferEncoding == "base64" || part.transferEncoding == "quoted-printable"))
      anomaly("MIME_BAD_COMPOSITE_ENCODING");
    if (const Header* h = part.header("Content-Disposition")) {
      ParamValue cd = parseParamValue(h->value);
      part.disposition = cd.token;
      if (auto it = cd.params.find("filename"); it != cd.params.end()) part.filename = it->second;
    }
    if (part.filename.empty())
      if (auto it = part.params.find("name"); it != part.params.end()) part.filename = it->second;

    if (part.type == "multipart") {
      multipart(body, part, depth);
    } else if (part.type == "message" && (part.subtype == "rfc822" || part.subtype == "global")) {
      if (depth + 1 > limits_.maxDepth) {
        anomaly("MIME_NESTING_LIMIT");
        leaf(body, part);
        return;
      }
      part.children.emplace_back();
      std::string decoded = decodeBody(body, part.transferEncoding);
      // The nested message outlives this call through `nested_`.
      nested_.push_back(std::move(decoded));
      entity(nested_.back(), part.children.back(), depth + 1, "text/plain");
    } else {
      leaf(body, part);
    }
  }

 private:
  std::string decodeBody(std::string_view body, const std::string& cte) {
    if (cte == "base64") {
      Decoded d = decodeBase64(body);
      if (d.malformed) anomaly("MIME_BAD_BASE64");
      return std::move(d.bytes);
    }
    if (cte == "quoted-printable") {
      Decoded d = decodeQuotedPrintable(body);
      if (d.malformed) anomaly("MIME_BAD_QP");
      return std::move(d.bytes);
    }
    if (!cte.empty() && cte != "7bit" && cte != "8bit" && cte != "binary") anomaly("MIME_UNKNOWN_ENCODING");
    return std::string(body);
  }

  // Past the budget, parts are left unparsed: the message is judged on what was read, and the
  // symbol says it was not all of it.
  bool outOfTime() {
    if (!msg_.budget.exhausted()) return false;
    anomaly("SCAN_TIME_LIMIT");
    return true;
  }

  void leaf(std::string_view body, Part& part) {
    if (outOfTime()) return;
    std::string bytes = decodeBody(body, part.transferEncoding);
    if (msg_.decodedBytes + bytes.size() > limits_.maxDecodedBytes) {
      anomaly("MIME_DECODED_LIMIT");
      bytes.resize(limits_.maxDecodedBytes > msg_.decodedBytes ? limits_.maxDecodedBytes - msg_.decodedBytes : 0);
    }
    msg_.decodedBytes += bytes.size();
    part.decoded = std::move(bytes);
    if (part.isAttachment()) {
      // Content scanning renders text/html attachments too (as SpamAssassin does), with the
      // same budget: a cut there is the same anomaly.
      if (part.mediaType() == "text/html" &&
          prescanHtml(part.decoded, limits_.html).cut != HtmlCut::None)
        anomaly("MIME_HTML_LIMIT");
      Attachment a{part.filename, part.mediaType(), sniffType(part.decoded), part.decoded.size()};
      msg_.attachments.push_back(std::move(a));
      return;
    }
    if (part.type != "text") return;
    auto cs = part.params.find("charset");
    Converted c = toUtf8(part.decoded, cs == part.params.end() ? "us-ascii" : cs->second);
    if (c.unknownCharset) anomaly("MIME_UNKNOWN_CHARSET");
    part.text = std::move(c.utf8);
    if (part.subtype == "html") {
      RenderedHtml r = renderHtml(part.text, limits_.html);
      if (r.cut != HtmlCut::None) anomaly("MIME_HTML_LIMIT");
      part.rendered = std::move(r.text);
      for (auto& u : r.urls) addUrl(std::move(u));
      for (auto& u : extractTextUrls(part.rendered)) addUrl(std::move(u));
    } else {
      for (auto& u : extractTextUrls(part.text)) addUrl(std::move(u));
    }
  }

  void addUrl(std::string u) {
    if (urlsSeen_.insert(u).second) msg_.urls.push_back(std::move(u));
  }

  // Splits a multipart body at its boundary delimiter lines (RFC 2046 5.1.1).
  void multipart(std::string_view body, Part& part, int depth) {
    auto b = part.params.find("boundary");
    if (b == part.params.end() || b->second.empty()) {
      anomaly("MIME_MISSING_BOUNDARY");
      part.type = "text";  // read it as text so its content is still checked
      part.subtype = "plain";
      leaf(body, part);
      return;
    }
    if (depth + 1 > limits_.maxDepth) {
      anomaly("MIME_NESTING_LIMIT");
      return;
    }
    const std::string delimiter = "--" + b->second;
    const std::string_view childDefault = part.subtype == "digest" ? "message/rfc822" : "text/plain";
    std::vector<std::pair<size_t, size_t>> spans;  // [start, end) of each part's raw text
    size_t partStart = std::string_view::npos;
    bool closed = false;
    size_t pos = 0;
    while (pos <= body.size()) {
      size_t nl = body.find('\n', pos);
      size_t lineEnd = nl == std::string_view::npos ? body.size() : nl;
      std::string_view line = body.substr(pos, lineEnd - pos);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.starts_with(delimiter)) {
        std::string_view after = line.substr(delimiter.size());
        bool last = after.starts_with("--");
        if (last) after.remove_prefix(2);
        const bool onlySpace = after.find_first_not_of(" \t") == std::string_view::npos;
        if (onlySpace) {
          if (partStart != std::string_view::npos) {
            // The line break before a delimiter belongs to the delimiter.
            size_t end = pos;
            if (end > partStart && body[end - 1] == '\n') --end;
            if (end > partStart && body[end - 1] == '\r') --end;
            spans.emplace_back(partStart, end);
          }
          if (last) {
            closed = true;
            break;
          }
          partStart = nl == std::string_view::npos ? body.size() : nl + 1;
        }
      }
      if (nl == std::string_view::npos) break;
      pos = nl + 1;
    }
    if (!closed) {
      anomaly("MIME_MISSING_END_BOUNDARY");
      if (partStart != std::string_view::npos) spans.emplace_back(partStart, body.size());
    }
    if (spans.empty()) anomaly("MIME_EMPTY_MULTIPART");
    for (const auto& [s, e] : spans) {
      if (msg_.partCount >= limits_.maxParts) {
        anomaly("MIME_PART_LIMIT");
        break;
      }
      part.children.emplace_back();
      entity(body.substr(s, e - s), part.children.back(), depth + 1, childDefault);
    }
  }

  Message& msg_;
  const Limits& limits_;
  std::set<std::string> seen_;
  std::set<std::string> urlsSeen_;
  std::deque<std::string> nested_;  // decoded message/rfc822 bodies; a deque never moves them
};

}  // namespace

Message parseMessage(std::string_view raw, const Limits& limits) {
  Message m;
  m.limits = limits;
  m.budget = WorkBudget(limits.maxScanTime);
  Parser p(m, limits);
  p.entity(raw, m.root, 0, "text/plain");
  return m;
}

}  // namespace portcullis::mime
