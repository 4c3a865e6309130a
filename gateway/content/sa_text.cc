#include "gateway/content/sa_text.h"

#include <strings.h>

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

#include "gateway/content/relays/relay_analysis.h"
#include "gateway/mime/charset.h"
#include "gateway/mime/headers.h"
#include "gateway/mime/html.h"
#include "gateway/mime/transfer_decoding.h"

namespace portcullis::content {
namespace {

constexpr size_t kMaxBodyLine = 2048;            // Constants.pm MAX_BODY_LINE_LENGTH
constexpr size_t kBodyPartScanSize = 50000;      // body_part_scan_size default
constexpr size_t kRawbodyPartScanSize = 500000;  // rawbody_part_scan_size default

// Length of the white-space character at s[i] (Perl's \s on a Unicode string), 0 if none.
size_t spaceAt(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
  if (c == 0xC2 && i + 1 < s.size()) {
    unsigned char d = static_cast<unsigned char>(s[i + 1]);
    if (d == 0xA0 || d == 0x85) return 2;
  }
  if (c == 0xE2 && i + 2 < s.size()) {
    unsigned char d = static_cast<unsigned char>(s[i + 1]),
                  e = static_cast<unsigned char>(s[i + 2]);
    if (d == 0x80 && (e <= 0x8A || e == 0xA8 || e == 0xA9 || e == 0xAF)) return 3;
    if (d == 0x81 && e == 0x9F) return 3;
  }
  if (c == 0xE3 && i + 2 < s.size() && s[i + 1] == '\x80' && s[i + 2] == '\x80') return 3;
  if (c == 0xE1 && i + 2 < s.size() && s[i + 1] == '\x9A' && s[i + 2] == '\x80') return 3;
  return 0;
}

// Truncates a part's text the way get_body_text_array_common does: at a newline (or a
// space) within 1 KiB after the limit.
void truncateForScan(std::string& text, size_t limit, bool tryAngle) {
  if (text.size() <= limit) return;
  for (char c : {'\n', tryAngle ? '>' : ' ', ' '}) {
    size_t idx = text.find(c, limit);
    if (idx != std::string::npos && idx - limit <= 1024) {
      text.resize(idx + 1);
      return;
    }
  }
  text.resize(limit);
}

// SpamAssassin converts CRLF line ends to LF before it decodes or renders anything.
std::string squashCrlf(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i)
    if (!(s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n')) out += s[i];
  return out;
}

bool noEncodedWordDecoding(std::string_view name) {
  // Message::Node::_decode_header leaves these alone (SpamAssassin bugs 6945, 7249).
  static const char* names[] = {"Received",    "Message-ID",   "Resent-Message-ID", "Date",
                                "Resent-Date", "MIME-Version", "References",        "In-Reply-To"};
  for (const char* n : names)
    if (mime::iequals(name, n)) return true;
  return name.size() >= 5 && strncasecmp(name.data(), "List-", 5) == 0;
}

std::string rawValue(const mime::Header& h) {
  // get_header(name, 1): folds joined by one space, the line end kept.
  std::string out;
  std::string_view v = h.raw;
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\r' || v[i] == '\n') {
      size_t j = i;
      while (j < v.size() && (v[j] == '\r' || v[j] == '\n')) ++j;
      size_t k = j;
      while (k < v.size() && (v[k] == ' ' || v[k] == '\t')) ++k;
      out += ' ';
      i = k - 1;
      continue;
    }
    out += v[i];
  }
  return out + "\n";
}

std::string decodedValue(const mime::Header& h) {
  return (noEncodedWordDecoding(h.name) ? h.value : h.decoded) + "\n";
}

// Every part, containers included, in document order (Message::find_parts(qr/./)).
void walkParts(const mime::Part& p, std::vector<const mime::Part*>& out) {
  out.push_back(&p);
  for (const auto& c : p.children) walkParts(c, out);
}

std::string trimmed(std::string_view s) {
  return std::string(mime::trim(s));
}

bool localChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '%' ||
         c == '+' || c == '=' || c == '-';
}
bool domainChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
}

// user@host.tld in plain text (std::regex was a third of the whole scan time here).
std::vector<std::string> bareEmailAddresses(std::string_view text) {
  std::vector<std::string> out;
  for (size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    size_t b = at;
    while (b > 0 && localChar(text[b - 1])) --b;
    while (b < at && !std::isalnum(static_cast<unsigned char>(text[b]))) ++b;
    size_t e = at + 1;
    while (e < text.size() && domainChar(text[e])) ++e;
    while (e > at + 1 && (text[e - 1] == '.' || text[e - 1] == '-')) --e;
    if (b == at || e <= at + 1) continue;
    std::string_view domain = text.substr(at + 1, e - at - 1);
    size_t dot = domain.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || domain.size() - dot - 1 < 2) continue;
    bool alphaTld = true;
    for (char c : domain.substr(dot + 1))
      alphaTld = alphaTld && std::isalpha(static_cast<unsigned char>(c));
    if (alphaTld) out.emplace_back(text.substr(b, e - b));
  }
  return out;
}

}  // namespace

std::vector<std::string> canonicalUris(std::string_view input) {
  std::vector<std::string> out;
  std::vector<std::string> work{trimmed(input)};
  for (size_t k = 0; k < work.size() && k < 8; ++k) {
    std::string uri = work[k];
    uri.erase(std::remove(uri.begin(), uri.end(), '\r'), uri.end());
    uri.erase(std::remove(uri.begin(), uri.end(), '\n'), uri.end());
    if (uri.size() <= 1 || uri[0] == '#' || uri[0] == '?' || uri[0] == '&' ||
        (uri[0] == '/' && (uri.size() < 2 || uri[1] != '/')))
      continue;
    out.push_back(uri);
    if (strncasecmp(uri.c_str(), "mailto:", 7) == 0 ||
        uri.substr(0, uri.find(':')).find('@') != std::string::npos)
      continue;
    std::string n = uri;
    std::replace(n.begin(), n.end(), '\\', '/');
    static const std::regex slashes(R"(^(https?:)/{0,2})", std::regex::icase);
    n = std::regex_replace(n, slashes, "$1//", std::regex_constants::format_first_only);
    if (n.find('%') != std::string::npos) {  // %XX decoded
      std::string d;
      for (size_t i = 0; i < n.size(); ++i) {
        if (n[i] == '%' && i + 2 < n.size() && mime::hexValue(n[i + 1]) >= 0 &&
            mime::hexValue(n[i + 2]) >= 0) {
          d += static_cast<char>(mime::hexValue(n[i + 1]) * 16 + mime::hexValue(n[i + 2]));
          i += 2;
        } else {
          d += n[i];
        }
      }
      n = d;
    }
    static const std::regex scheme(R"(^[-_a-zA-Z0-9]+:)");
    if (!std::regex_search(n, scheme)) n = (n.rfind("ftp.", 0) == 0 ? "ftp://" : "http://") + n;
    static const std::regex hostThenQuery(R"(^(https?://[^/?#]+)([?#]))", std::regex::icase);
    n = std::regex_replace(n, hostThenQuery, "$1/$2", std::regex_constants::format_first_only);
    if (n != uri) out.push_back(n);
    static const std::regex parts(R"(^(https?://)([^@/?#]*@)?([^/?#:]+)((?::(\d*))?.*)$)",
                                  std::regex::icase);
    std::smatch m;
    if (!std::regex_match(n, m, parts)) continue;
    std::string proto = m[1], host = m[3], rest = m[4];
    if (m[2].matched) out.push_back(proto + host + rest);  // without the user@ part
    // A URL inside the path or query (a redirector) is a URI of its own.
    static const std::regex inner(R"((https?:/{0,2}[^&#]+))", std::regex::icase);
    std::smatch im;
    if (std::regex_search(rest, im, inner) && im[1].str().find('.') != std::string::npos)
      work.push_back(im[1]);
    if (m[5].matched) {
      std::string noPort = rest;
      static const std::regex p80(R"(^:80\b)"), p443(R"(^:443\b)");
      bool http = strncasecmp(proto.c_str(), "http://", 7) == 0;
      std::string stripped = std::regex_replace(noPort, http ? p80 : p443, "",
                                                std::regex_constants::format_first_only);
      if (stripped != noPort) out.push_back(proto + host + stripped);
    }
    size_t end = host.size();
    while (end > 0 && !std::isalnum(static_cast<unsigned char>(host[end - 1]))) --end;
    if (end != host.size()) out.push_back(proto + host.substr(0, end) + rest);
  }
  return out;
}

std::string collapseWhitespace(std::string_view text) {
  // s/\n+\s*\n+/\x00/gs; s/\s+/ /gs; tr/\x00/\n/ in one pass: a white-space run holding two or
  // more newlines becomes [spaces before the first] "\n" [spaces after the last], every other
  // run one space.
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    size_t w = spaceAt(text, i);
    if (!w) {
      out += text[i++];
      continue;
    }
    size_t start = i, firstNl = std::string::npos, lastNl = std::string::npos;
    int newlines = 0;
    while (i < text.size() && (w = spaceAt(text, i))) {
      if (text[i] == '\n') {
        ++newlines;
        if (firstNl == std::string::npos) firstNl = i;
        lastNl = i;
      }
      i += w;
    }
    if (newlines >= 2) {
      if (firstNl > start) out += ' ';
      out += '\n';
      if (lastNl + 1 < i) out += ' ';
    } else {
      out += ' ';
    }
  }
  return out;
}

std::vector<std::string> splitShortLines(std::string_view text) {
  std::vector<std::string> result;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string::npos ? text.size() : nl + 1;
    std::string_view line = text.substr(pos, end - pos);
    while (line.size() > kMaxBodyLine) {
      size_t sp = line.rfind(' ', kMaxBodyLine);
      size_t len = sp == std::string_view::npos ? kMaxBodyLine : sp + 1;
      result.emplace_back(line.substr(0, len));
      line.remove_prefix(len);
    }
    result.emplace_back(line);
    pos = end;
  }
  return result;
}

std::vector<std::string> splitShortParagraphs(std::string_view text) {
  std::vector<std::string> result;
  if (text.size() <= kMaxBodyLine) {
    result.emplace_back(text);
    return result;
  }
  size_t ofs = 0;
  for (; text.size() - ofs > 2 * kMaxBodyLine;) {
    size_t j = std::string_view::npos;
    for (char c : {'\n', '>', ' '}) {
      j = text.find(c, ofs + kMaxBodyLine);
      if (j != std::string_view::npos && j - ofs + 1 <= 2 * kMaxBodyLine) break;
      j = std::string_view::npos;
    }
    if (j == std::string_view::npos) j = ofs + kMaxBodyLine;
    result.emplace_back(text.substr(ofs, j - ofs + 1));
    ofs = j + 1;
  }
  if (ofs < text.size()) result.emplace_back(text.substr(ofs));
  return result;
}

std::vector<HeaderAddress> parseHeaderAddresses(std::string_view v) {
  std::vector<HeaderAddress> out;
  std::string current;
  auto flush = [&](std::string item) {
    std::string s = trimmed(item);
    if (s.empty()) return;
    HeaderAddress a;
    size_t lt = s.rfind('<'), gt = s.rfind('>');
    if (lt != std::string::npos && gt != std::string::npos && gt > lt) {
      a.address = trimmed(s.substr(lt + 1, gt - lt - 1));
      a.phrase = trimmed(s.substr(0, lt));
    } else {
      // addr (Comment)
      size_t lp = s.find('(');
      if (lp != std::string::npos) {
        size_t rp = s.rfind(')');
        a.phrase = trimmed(
            s.substr(lp + 1, rp == std::string::npos || rp < lp ? std::string::npos : rp - lp - 1));
        s = trimmed(s.substr(0, lp));
      }
      a.address = s;
    }
    if (a.phrase.size() >= 2 && a.phrase.front() == '"' && a.phrase.back() == '"')
      a.phrase = a.phrase.substr(1, a.phrase.size() - 2);
    if (a.address.find(' ') != std::string::npos && a.address.find('@') == std::string::npos)
      return;
    if (!a.address.empty() || !a.phrase.empty()) out.push_back(std::move(a));
  };
  bool quoted = false;
  int angle = 0, paren = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (c == '\\' && i + 1 < v.size()) {
      current += c;
      current += v[++i];
      continue;
    }
    if (c == '"' && !paren)
      quoted = !quoted;
    else if (!quoted && c == '(')
      ++paren;
    else if (!quoted && c == ')' && paren)
      --paren;
    else if (!quoted && !paren && c == '<')
      ++angle;
    else if (!quoted && !paren && c == '>' && angle)
      --angle;
    // A group "name: a, b;" lists its members; the group name is not an address.
    if (!quoted && !paren && !angle && c == ':' && current.find('@') == std::string::npos) {
      current.clear();
      continue;
    }
    if (!quoted && !paren && !angle && (c == ',' || c == ';')) {
      flush(std::move(current));
      current.clear();
      continue;
    }
    current += c;
  }
  flush(std::move(current));
  return out;
}

SaMessageText::SaMessageText(std::string_view raw, const mime::Message& message,
                             std::optional<std::string> envelopeFrom)
    : raw_(raw), message_(message), envelopeFrom_(std::move(envelopeFrom)) {
  walkParts(message.root, parts_);
  std::vector<const mime::Part*> leaves;
  for (const mime::Part* p : parts_)
    if (p->children.empty()) leaves.push_back(p);

  // body: Subject first, then each text/plain and text/html leaf rendered.
  std::string text;
  for (const mime::Part* p : leaves) {
    if (!text.empty()) text += '\n';
    std::string mt = p->mediaType();
    if (mt != "text/plain" && mt != "text/html") continue;
    std::string rendered;
    if (!p->text.empty() || p->decoded.empty()) {
      rendered = mt == "text/html" ? p->rendered : p->text;
    } else {  // text attachments: the MIME layer leaves them undecoded
      auto cs = p->params.find("charset");
      std::string utf8 =
          mime::toUtf8(p->decoded, cs == p->params.end() ? "us-ascii" : cs->second).utf8;
      rendered = mt == "text/html" ? mime::renderHtml(utf8, message.limits.html).text : utf8;
    }
    rendered = squashCrlf(rendered);
    truncateForScan(rendered, kBodyPartScanSize, false);
    text += rendered;
  }
  const mime::Header* subject = nullptr;
  for (const auto& h : message.root.headers)
    if (mime::iequals(h.name, "Subject")) subject = &h;  // the last one, as get_header does
  std::string subjectLine = subject ? subject->decoded + "\n" : "\n";
  size_t subjectBytes = subjectLine.size();
  body_ = splitShortLines(subjectLine + collapseWhitespace(text));
  subjectLines_ = 0;
  for (size_t seen = 0; subjectLines_ < body_.size() && seen < subjectBytes; ++subjectLines_)
    seen += body_[subjectLines_].size();

  // rawbody: text and message leaves, decoded, not rendered, not charset-converted.
  for (const mime::Part* p : leaves) {
    if ((p->type != "text" && p->type != "message") || p->mediaType() == "text/calendar") continue;
    std::string decoded = squashCrlf(p->decoded);
    truncateForScan(decoded, kRawbodyPartScanSize, true);
    for (auto& chunk : splitShortParagraphs(decoded)) rawBody_.push_back(std::move(chunk));
  }

  // uri: each URI, plus the http:// form of a scheme-less www. host, plus a mailto: URI for
  // every bare email address in the text (SpamAssassin's parser adds those too).
  std::set<std::string> seen;
  auto addUri = [&](std::string u) {
    if (seen.insert(u).second) uris_.push_back(std::move(u));
  };
  // Canonicalizing runs regexes per URI: a message of a hundred thousand links is work to bound.
  for (const auto& u : message.urls) {
    if (message.budget.exhausted()) {
      outOfTime_ = true;
      break;
    }
    for (auto& c : canonicalUris(u)) addUri(std::move(c));
  }
  for (auto& address : bareEmailAddresses(text)) addUri("mailto:" + address);
}

std::vector<std::optional<std::string>> SaMessageText::mimeHeader(
    const rules::HeaderQuery& q) const {
  std::vector<std::optional<std::string>> out;
  for (const mime::Part* p : parts_) {
    if (q.name == "ALL") {
      std::string all;
      for (const auto& h : p->headers)
        all += h.name + ": " + (q.raw ? rawValue(h) : decodedValue(h));
      out.emplace_back(all.empty() ? std::nullopt : std::optional<std::string>(all));
      continue;
    }
    const mime::Header* last = nullptr;
    for (const auto& h : p->headers)
      if (mime::iequals(h.name, q.name)) last = &h;
    if (!last)
      out.emplace_back(std::nullopt);
    else
      out.emplace_back(q.raw ? rawValue(*last) : decodedValue(*last));
  }
  return out;
}

std::vector<std::string> SaMessageText::header(const rules::HeaderQuery& q) const {
  const auto& headers = message_.root.headers;
  std::vector<std::string> results;
  const bool wantRaw = q.raw || q.addr || q.displayName;
  auto valueOf = [&](const mime::Header& h) { return wantRaw ? rawValue(h) : decodedValue(h); };
  auto collect = [&](std::string_view name) {
    for (const auto& h : headers)
      if (mime::iequals(h.name, name)) results.push_back(valueOf(h));
  };
  if (q.name == "ALL") {
    for (const auto& h : headers)
      results.push_back(h.name + ": " + (q.raw ? rawValue(h) : decodedValue(h)));
    return results;
  }
  if (relays_ && q.name.starts_with("X-Spam-Relays-")) {
    // SpamAssassin's metadata: one value, also when there is no relay of the kind.
    std::string_view kind = std::string_view(q.name).substr(14);
    const auto& path = *relays_;
    if (kind == "Trusted") return {relays::relaysText(path.trusted)};
    if (kind == "Untrusted") return {relays::relaysText(path.untrusted)};
    if (kind == "Internal") return {relays::relaysText(path.internal)};
    if (kind == "External") return {relays::relaysText(path.external)};
  }
  if (relays_ && (q.name == "ALL-TRUSTED" || q.name == "ALL-UNTRUSTED" ||
                  q.name == "ALL-INTERNAL" || q.name == "ALL-EXTERNAL")) {
    // PerMsgStatus::get_all_hdrs_in_rcvd_index_range: the header block cut at the trust (or
    // internal) boundary's Received header, that header on the trusted side.
    const auto& path = *relays_;
    const bool trustedKind = q.name == "ALL-TRUSTED" || q.name == "ALL-UNTRUSTED";
    const int boundary = (trustedKind ? path.lastTrustedHeader : path.lastInternalHeader) + 1;
    const bool above = q.name == "ALL-TRUSTED" || q.name == "ALL-INTERNAL";
    // Hops the front door saw stand for Received headers above the message's first.
    int index = path.headerOffset - 1;
    if (above && boundary < path.headerOffset) return {};
    for (const auto& h : headers) {
      if (mime::iequals(h.name, "Received")) ++index;
      std::string line = h.name + ": " + (q.raw ? rawValue(h) : decodedValue(h));
      if (above) {
        if (index < boundary) {
          results.push_back(std::move(line));
        } else if (index == boundary) {
          results.push_back(std::move(line));
          break;
        }
      } else if (boundary <= index) {
        results.push_back(std::move(line));
      }
    }
    return results;
  }
  if (q.name == "ToCc") {
    collect("To");
    collect("Cc");
  } else if (q.name == "MESSAGEID") {
    for (const char* n :
         {"X-Message-Id", "Resent-Message-Id", "X-Original-Message-ID", "Message-Id"})
      collect(n);
  } else if (mime::iequals(q.name, "EnvelopeFrom")) {
    // The envelope when the front door knows it; otherwise SpamAssassin's
    // PerMsgStatus::get_envelope_from: the sender the last untrusted relay (else the first
    // trusted one) recorded, then X-Envelope-From, Envelope-Sender and Return-Path, each only
    // when no Received line comes before it (a fetchmail'd X-Sender means nothing is known).
    if (envelopeFrom_) return {*envelopeFrom_};
    if (relays_) {
      const relays::Relay* last = !relays_->untrusted.empty() ? &relays_->untrusted.front()
                                  : !relays_->trusted.empty() ? &relays_->trusted.back()
                                                              : nullptr;
      if (last && last->envfrom.find('@') != std::string::npos && last->envfrom.find('@') > 0)
        return {last->envfrom};
    }
    auto firstAddress = [&](const char* name) -> std::optional<std::string> {
      for (const auto& h : headers)
        if (mime::iequals(h.name, name)) {
          auto addrs = parseHeaderAddresses(h.raw);
          return addrs.empty() ? std::string() : addrs.front().address;
        }
      return std::nullopt;
    };
    auto afterReceived = [&](const char* name) {
      bool seenReceived = false;
      for (const auto& h : headers) {
        if (mime::iequals(h.name, "Received")) seenReceived = true;
        if (mime::iequals(h.name, name)) return seenReceived;
      }
      return false;
    };
    if (auto sender = firstAddress("X-Sender"); sender && sender->find('@') != std::string::npos)
      for (const auto& h : headers)
        if (mime::iequals(h.name, "Received") && h.value.find("(fetchmail") != std::string::npos)
          return {};
    if (auto a = firstAddress("X-Envelope-From")) {
      if (afterReceived("X-Envelope-From")) return {};
      return {*a};
    }
    if (auto a = firstAddress("Envelope-Sender"); a && !afterReceived("Envelope-Sender"))
      return {*a};
    if (auto a = firstAddress("Return-Path"); a && !afterReceived("Return-Path")) return {*a};
    return {};
  } else {
    collect(q.name);
  }
  if (results.empty()) return results;
  if (q.first) results.resize(1);
  if (q.last) results.erase(results.begin(), results.end() - 1);
  if (q.addr || q.displayName) {
    std::vector<std::string> out;
    for (const auto& line : results) {
      for (const auto& a : parseHeaderAddresses(line)) {
        if (q.addr && !a.address.empty()) out.push_back(a.address);
        if (q.displayName && !a.phrase.empty()) {
          std::string name = q.raw ? a.phrase : mime::decodeEncodedWords(a.phrase);
          if (!q.raw) {
            name = trimmed(collapseWhitespace(name));
            if (name.size() >= 2 && name.front() == '\'' && name.back() == '\'')
              name = name.substr(1, name.size() - 2);
          }
          out.push_back(std::move(name));
        }
      }
    }
    return out;
  }
  return results;
}

}  // namespace portcullis::content
