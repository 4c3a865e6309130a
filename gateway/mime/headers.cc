#include "gateway/mime/headers.h"

#include <cctype>

#include "gateway/mime/charset.h"
#include "gateway/mime/transfer_decoding.h"

namespace portcullis::mime {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

namespace {

std::string unfold(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') continue;
    if (c == '\n') continue;  // the white space that follows stays, as RFC 5322 2.2.3 says
    out.push_back(c);
  }
  return std::string(trim(out));
}

std::string rawText(std::string_view s) {
  bool invalid = false;
  std::string u = sanitizeUtf8(s, &invalid);
  if (!invalid) return u;
  return toUtf8(s, "windows-1252").utf8;
}

}  // namespace

std::string decodeEncodedWords(std::string_view v, bool* malformed) {
  std::string out;
  size_t pos = 0;
  bool lastWasWord = false;
  while (pos < v.size()) {
    size_t start = v.find("=?", pos);
    if (start == std::string_view::npos) break;
    // =?charset?enc?text?=
    size_t q1 = v.find('?', start + 2);
    size_t q2 = q1 == std::string_view::npos ? q1 : v.find('?', q1 + 1);
    size_t end = q2 == std::string_view::npos ? q2 : v.find("?=", q2 + 1);
    if (end == std::string_view::npos || q2 != q1 + 2) {
      if (malformed && q1 != std::string_view::npos) *malformed = true;
      out += rawText(v.substr(pos, start + 2 - pos));
      pos = start + 2;
      lastWasWord = false;
      continue;
    }
    std::string_view between = v.substr(pos, start - pos);
    // RFC 2047 6.2: white space between adjacent encoded words is dropped.
    if (!(lastWasWord && trim(between).empty())) out += rawText(between);
    std::string_view charset = v.substr(start + 2, q1 - start - 2);
    if (auto star = charset.find('*'); star != std::string_view::npos) charset = charset.substr(0, star);  // RFC 2231 language
    char enc = static_cast<char>(std::toupper(static_cast<unsigned char>(v[q1 + 1])));
    std::string_view text = v.substr(q2 + 1, end - q2 - 1);
    Decoded d;
    if (enc == 'B') {
      d = decodeBase64(text);
    } else if (enc == 'Q') {
      d = decodeQuotedPrintable(text, true);
    } else {
      if (malformed) *malformed = true;
      out += rawText(v.substr(start, end + 2 - start));
      pos = end + 2;
      lastWasWord = false;
      continue;
    }
    if (d.malformed && malformed) *malformed = true;
    Converted c = toUtf8(d.bytes, charset);
    if (c.invalidBytes && malformed) *malformed = true;
    out += c.utf8;
    pos = end + 2;
    lastWasWord = true;
  }
  if (pos < v.size()) out += rawText(v.substr(pos));
  return out;
}

namespace {

bool isBlank(char c) {
  return c == ' ' || c == '\t';
}

// The length of a field name at the start of `line` followed by optional white space and a colon
// (RFC 5322 obs-optional: `From : x`); 0 when the line does not start a field that way. `colon`
// gets the colon's position.
size_t fieldNameLength(std::string_view line, size_t* colon) {
  size_t n = 0;
  while (n < line.size() && static_cast<unsigned char>(line[n]) > 32 &&
         static_cast<unsigned char>(line[n]) < 127 && line[n] != ':')
    ++n;
  size_t c = n;
  while (c < line.size() && isBlank(line[c])) ++c;
  if (n == 0 || c >= line.size() || line[c] != ':') return 0;
  *colon = c;
  return n;
}

// A name alone on its line, the colon on the next (indented) line: `From\r\n : x`.
bool nameOnlyLine(std::string_view line) {
  size_t n = 0;
  while (n < line.size() && static_cast<unsigned char>(line[n]) > 32 &&
         static_cast<unsigned char>(line[n]) < 127 && line[n] != ':')
    ++n;
  if (n == 0) return false;
  while (n < line.size() && isBlank(line[n])) ++n;
  return n == line.size();
}

bool colonContinuation(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && isBlank(line[i])) ++i;
  return i > 0 && i < line.size() && line[i] == ':';
}

struct Line {
  size_t start;
  std::string_view text;  // without CR LF
  size_t next;            // where the next line starts
};

}  // namespace

HeaderSection parseHeaderSection(std::string_view text) {
  HeaderSection hs;
  size_t pos = 0;
  // An mbox "From " line before the headers is not a header; "From : x" is one (obsolete syntax).
  size_t colon = 0;
  if (text.starts_with("From ") && !fieldNameLength(text.substr(0, text.find('\n')), &colon)) {
    size_t nl = text.find('\n');
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
  }
  // The lines up to the blank line (or the end), and the last one that starts a field: a line
  // that is not a field before it is skipped, one after it starts the body.
  // At most 1 MB of lines is looked at for a field to follow (Postfix keeps 100 KB of header
  // by default): a message without a blank line is not split into lines to its end.
  std::vector<Line> lines;
  bool blank = false;
  const size_t limit = pos + (1 << 20);
  while (pos < text.size() && pos < limit) {
    size_t nl = text.find('\n', pos);
    size_t lineEnd = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(pos, lineEnd - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t next = nl == std::string_view::npos ? text.size() : nl + 1;
    if (line.empty()) {
      hs.bodyOffset = next;
      blank = true;
      break;
    }
    lines.push_back({pos, line, next});
    pos = next;
  }
  if (!blank) hs.bodyOffset = pos;
  size_t lastField = 0;
  bool anyField = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view l = lines[i].text;
    if (isBlank(l.front())) continue;
    if (fieldNameLength(l, &colon) ||
        (nameOnlyLine(l) && i + 1 < lines.size() && colonContinuation(lines[i + 1].text))) {
      lastField = i;
      anyField = true;
    }
  }

  bool inField = false;    // continuation lines belong to the last field
  bool inSkipped = false;  // or to the last skipped line
  const size_t headerStart = lines.empty() ? 0 : lines.front().start;
  size_t headerEnd = headerStart;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i].text;
    headerEnd = lines[i].next;
    if (isBlank(line.front()) && inField) {
      Header& h = hs.fields.back();
      h.raw += "\r\n";
      h.raw += line;
      continue;
    }
    if (isBlank(line.front()) && inSkipped) {
      hs.skippedLines.back() += "\r\n" + std::string(line);
      continue;
    }
    inSkipped = false;
    size_t nameLen = fieldNameLength(line, &colon);
    Header h;
    if (nameLen) {
      h.name = std::string(line.substr(0, nameLen));
      h.obsolete = colon != nameLen;
      line = line.substr(colon + 1);
    } else if (nameOnlyLine(line) && i + 1 < lines.size() && colonContinuation(lines[i + 1].text)) {
      h.name = std::string(trim(line));
      h.obsolete = true;
      std::string_view cont = lines[++i].text;
      line = cont.substr(cont.find(':') + 1);
    } else if (i == 0 && hs.skippedLines.empty() && isBlank(line.front()) &&
               fieldNameLength(trim(line), &colon)) {
      // The first line indented: read as a field, as before (a reader may also drop it).
      std::string_view t = trim(line);
      h.name = std::string(t.substr(0, fieldNameLength(t, &colon)));
      h.obsolete = true;
      line = t.substr(colon + 1);
    } else {
      hs.malformed = true;
      inField = false;
      if (!anyField || i > lastField) {
        // Not a header and no field follows: the body starts here (as Postfix and SpamAssassin
        // treat it).
        hs.bodyOffset = headerEnd = lines[i].start;
        break;
      }
      if (hs.skippedLines.size() < 16) {
        hs.skippedLines.emplace_back(line);
        inSkipped = true;
      }
      continue;
    }
    if (!line.empty() && isBlank(line.front())) line.remove_prefix(1);
    h.raw = std::string(line);
    hs.fields.push_back(std::move(h));
    inField = true;
  }
  for (unsigned char c : text.substr(headerStart, headerEnd - headerStart))
    if (c >= 0x80) hs.eightBit = true;
  for (auto& h : hs.fields) {
    h.value = unfold(h.raw);
    bool bad = false;
    h.decoded = decodeEncodedWords(h.value, &bad);
    if (bad) hs.badEncodedWord = true;
  }
  return hs;
}

}  // namespace portcullis::mime
