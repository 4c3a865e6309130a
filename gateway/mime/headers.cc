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

bool validFieldName(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name)
    if (c < 33 || c > 126 || c == ':') return false;
  return true;
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

HeaderSection parseHeaderSection(std::string_view text) {
  HeaderSection hs;
  size_t pos = 0;
  // An mbox "From " line before the headers is not a header.
  if (text.starts_with("From ")) {
    size_t nl = text.find('\n');
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
  }
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t lineEnd = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(pos, lineEnd - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t next = nl == std::string_view::npos ? text.size() : nl + 1;
    if (line.empty()) {  // the blank line ending the section
      hs.bodyOffset = next;
      break;
    }
    if ((line.front() == ' ' || line.front() == '\t') && !hs.fields.empty()) {
      Header& h = hs.fields.back();
      h.raw += "\r\n";
      h.raw += line;
    } else {
      size_t colon = line.find(':');
      std::string_view name = colon == std::string_view::npos ? std::string_view{} : trim(line.substr(0, colon));
      if (!validFieldName(name)) {
        // Not a header: the body starts here (as Postfix and SpamAssassin treat it).
        hs.malformed = true;
        hs.bodyOffset = pos;
        break;
      }
      Header h;
      h.name = std::string(name);
      std::string_view rest = line.substr(colon + 1);
      if (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
      h.raw = std::string(rest);
      hs.fields.push_back(std::move(h));
    }
    for (unsigned char c : line)
      if (c >= 0x80) hs.eightBit = true;
    pos = next;
    hs.bodyOffset = pos;
  }
  for (auto& h : hs.fields) {
    h.value = unfold(h.raw);
    bool bad = false;
    h.decoded = decodeEncodedWords(h.value, &bad);
    if (bad) hs.badEncodedWord = true;
  }
  return hs;
}

}  // namespace portcullis::mime
