// The HTML5 tokenizer's tag, comment and raw-text states, reduced to what finding token
// boundaries needs (WHATWG HTML 13.2.5). Every loop moves forward: the pass is linear.
#include "gateway/mime/html_tokens.h"

#include <array>

namespace portcullis::mime {

namespace {

bool isSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

bool isAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

char lowerAscii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool startsWithNoCase(std::string_view s, size_t at, std::string_view prefix) {
  if (s.size() - at < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (lowerAscii(s[at + i]) != prefix[i]) return false;
  return true;
}

// Where the attribute list of a tag starting at `from` ends: the index of its '>', or npos
// when the input ends first (an unterminated quote included). Sets `selfClosing` for "/>".
size_t attributesEnd(std::string_view s, size_t from, bool& selfClosing) {
  size_t j = from;
  while (j < s.size()) {
    char c = s[j];
    if (isSpace(c)) {
      ++j;
      continue;
    }
    if (c == '/') {
      if (j + 1 < s.size() && s[j + 1] == '>') {
        selfClosing = true;
        return j + 1;
      }
      ++j;
      continue;
    }
    if (c == '>') return j;
    // An attribute name: its first character may be '=' (a parse error, but part of the name).
    ++j;
    while (j < s.size() && !isSpace(s[j]) && s[j] != '/' && s[j] != '>' && s[j] != '=') ++j;
    while (j < s.size() && isSpace(s[j])) ++j;
    if (j >= s.size() || s[j] != '=') continue;
    ++j;
    while (j < s.size() && isSpace(s[j])) ++j;
    if (j >= s.size()) return std::string_view::npos;
    if (s[j] == '"' || s[j] == '\'') {
      size_t close = s.find(s[j], j + 1);
      if (close == std::string_view::npos) return std::string_view::npos;
      j = close + 1;
    } else {
      while (j < s.size() && !isSpace(s[j]) && s[j] != '>') ++j;
    }
  }
  return std::string_view::npos;
}

}  // namespace

bool isRawTextElement(std::string_view name) {
  static constexpr std::array<std::string_view, 9> kRaw = {
      "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"};
  for (auto r : kRaw)
    if (name == r) return true;
  return false;
}

size_t HtmlTokenizer::skipTo(size_t from, std::string_view terminator) const {
  size_t at = html_.find(terminator, from);
  return at == std::string_view::npos ? html_.size() : at + terminator.size();
}

HtmlToken HtmlTokenizer::text(size_t from, size_t to) {
  HtmlToken t;
  t.kind = HtmlToken::Kind::Text;
  t.begin = from;
  t.end = to;
  pos_ = to;
  return t;
}

HtmlToken HtmlTokenizer::tag(size_t lt, bool endTag) {
  HtmlToken t;
  t.kind = endTag ? HtmlToken::Kind::EndTag : HtmlToken::Kind::StartTag;
  t.begin = lt;
  size_t j = lt + (endTag ? 2 : 1);
  while (j < html_.size() && !isSpace(html_[j]) && html_[j] != '/' && html_[j] != '>')
    t.name += lowerAscii(html_[j++]);
  const size_t gt = attributesEnd(html_, j, t.selfClosing);
  if (gt == std::string_view::npos) {  // the input ends inside the tag: no token
    pos_ = html_.size();
    return HtmlToken{};
  }
  t.attrs = html_.substr(j, gt - j);
  t.end = pos_ = gt + 1;
  return t;
}

HtmlToken HtmlTokenizer::next() {
  const size_t n = html_.size();
  if (pos_ >= n) return HtmlToken{};
  if (!rawText_.empty()) {
    // Raw text runs to "</name" followed by white space, '/' or '>'; plaintext never ends.
    std::string name = std::move(rawText_);
    rawText_.clear();
    size_t end = n;
    if (name != "plaintext") {
      for (size_t at = html_.find("</", pos_); at != std::string_view::npos;
           at = html_.find("</", at + 2)) {
        const size_t after = at + 2 + name.size();
        if (startsWithNoCase(html_, at + 2, name) &&
            (after >= n || isSpace(html_[after]) || html_[after] == '/' || html_[after] == '>')) {
          end = at;
          break;
        }
      }
    }
    if (end > pos_) {
      HtmlToken t = text(pos_, end);
      t.rawText = true;
      return t;
    }
  }
  for (size_t lt = html_.find('<', pos_); lt != std::string_view::npos;
       lt = html_.find('<', lt + 1)) {
    if (lt + 1 >= n) break;
    const char c = html_[lt + 1];
    const bool markup = isAlpha(c) || c == '!' || c == '?' || c == '/';
    if (!markup) continue;
    if (lt > pos_) return text(pos_, lt);
    HtmlToken t;
    t.begin = lt;
    t.kind = HtmlToken::Kind::Comment;
    if (c == '/' && lt + 2 < n && isAlpha(html_[lt + 2])) return tag(lt, true);
    if (isAlpha(c)) return tag(lt, false);
    if (html_.compare(lt, 4, "<!--") == 0) {
      // "<!-->" and "<!--->" close at once; otherwise "-->" or "--!>" ends the comment.
      size_t body = lt + 4;
      if (html_.compare(body, 1, ">") == 0) {
        pos_ = body + 1;
      } else if (html_.compare(body, 2, "->") == 0) {
        pos_ = body + 2;
      } else {
        size_t a = skipTo(body, "-->"), b = skipTo(body, "--!>");
        pos_ = a < b ? a : b;
      }
    } else if (c == '/' && lt + 2 < n && html_[lt + 2] == '>') {
      pos_ = lt + 3;  // "</>": dropped
    } else {
      pos_ = skipTo(lt + 2, ">");  // bogus comment or doctype: to the first '>'
    }
    t.end = pos_;
    return t;
  }
  return text(pos_, n);
}

std::string attributeValue(std::string_view attrs, std::string_view name, bool* found) {
  if (found) *found = false;
  size_t j = 0;
  while (j < attrs.size()) {
    if (isSpace(attrs[j]) || attrs[j] == '/') {
      ++j;
      continue;
    }
    const size_t nameStart = j++;
    while (j < attrs.size() && !isSpace(attrs[j]) && attrs[j] != '/' && attrs[j] != '=') ++j;
    const std::string_view attr = attrs.substr(nameStart, j - nameStart);
    while (j < attrs.size() && isSpace(attrs[j])) ++j;
    std::string_view value;
    if (j < attrs.size() && attrs[j] == '=') {
      ++j;
      while (j < attrs.size() && isSpace(attrs[j])) ++j;
      if (j < attrs.size() && (attrs[j] == '"' || attrs[j] == '\'')) {
        size_t close = attrs.find(attrs[j], j + 1);
        if (close == std::string_view::npos) close = attrs.size();
        value = attrs.substr(j + 1, close - j - 1);
        j = close + 1;
      } else {
        const size_t v = j;
        while (j < attrs.size() && !isSpace(attrs[j])) ++j;
        value = attrs.substr(v, j - v);
      }
    }
    if (attr.size() == name.size() && startsWithNoCase(attr, 0, name)) {
      if (found) *found = true;
      return std::string(value);
    }
  }
  return {};
}

}  // namespace portcullis::mime
