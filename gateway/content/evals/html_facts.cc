// A port of HTML.pm's handlers (html_tag, text_style, html_uri, html_tests, html_text,
// display_text, html_comment, html_declaration, html_end) over the project's tokenizer, and
// of the end-of-document values rendered() adds (html_length, non_space_len, ratio).
#include "gateway/content/evals/html_facts.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <memory>

#include "gateway/content/evals/eval_context.h"
#include "gateway/content/evals/html_colors.h"
#include "gateway/content/evals/html_entities.h"
#include "gateway/content/evals/html_target_uri.h"
#include "gateway/mime/charset.h"
#include "gateway/mime/html_tokens.h"
#include "rules/engine/full_regex.h"

namespace portcullis::content::evals {

namespace {

constexpr size_t kMaxUriLength = 8192;          // SpamAssassin's MAX_URI_LENGTH
constexpr size_t kTokensPerBudgetCheck = 4096;  // the budget reads a clock: not every token

template <size_t N>
bool oneOf(std::string_view s, const std::string_view (&set)[N]) {
  return std::find(std::begin(set), std::end(set), s) != std::end(set);
}

// HTML 4.01 / XHTML 1.0 elements and the non-standard ones HTML.pm accepts (%elements).
constexpr std::string_view kElements[] = {
    "a",      "abbr",       "acronym",  "address",  "area",     "b",       "base",     "bdo",
    "big",    "blockquote", "body",     "br",       "button",   "caption", "cite",     "code",
    "col",    "colgroup",   "dd",       "del",      "dfn",      "div",     "dl",       "dt",
    "em",     "fieldset",   "form",     "h1",       "h2",       "h3",      "h4",       "h5",
    "h6",     "head",       "hr",       "html",     "i",        "img",     "input",    "ins",
    "kbd",    "label",      "legend",   "li",       "link",     "map",     "meta",     "noscript",
    "object", "ol",         "optgroup", "option",   "p",        "param",   "pre",      "q",
    "samp",   "script",     "select",   "small",    "span",     "strong",  "style",    "sub",
    "sup",    "table",      "tbody",    "td",       "textarea", "tfoot",   "th",       "thead",
    "title",  "tr",         "tt",       "ul",       "var",      "applet",  "basefont", "center",
    "dir",    "font",       "frame",    "frameset", "iframe",   "isindex", "menu",     "noframes",
    "s",      "strike",     "u",        "nobr",     "x-sigsep", "x-tab"};
// Rendered but not counted as valid (%tricks).
constexpr std::string_view kTricks[] = {"bgsound", "embed", "listing", "plaintext", "xmp"};
constexpr std::string_view kTextStyle[] = {"body", "font", "table", "tr",       "th",
                                           "td",   "big",  "small", "basefont", "marquee",
                                           "span", "p",    "div",   "a"};
constexpr std::string_view kWhitespace[] = {
    "br",    "div",     "li",        "th",  "td",    "dt", "dd", "p",  "hr", "blockquote", "pre",
    "embed", "listing", "plaintext", "xmp", "title", "h1", "h2", "h3", "h4", "h5",         "h6"};
constexpr std::string_view kUriTags[] = {"body", "table", "tr",      "td",     "a",     "area",
                                         "link", "img",   "frame",   "iframe", "embed", "script",
                                         "form", "base",  "bgsound", "meta"};
// The elements HTML::Parser 3.81 reads as literal text up to their end tag (its
// literal_mode_elem): a <script> inside an <iframe> is text, not a tag.
constexpr std::string_view kLiteral[] = {"script", "style",     "xmp",
                                         "iframe", "plaintext", "textarea"};

bool ok(std::string_view tag, std::string_view attribute) {
  if (tag == "basefont" || tag == "font")
    return attribute == "color" || attribute == "face" || attribute == "size";
  if (tag == "body")
    return attribute == "text" || attribute == "bgcolor" || attribute == "link" ||
           attribute == "alink" || attribute == "vlink" || attribute == "background";
  if (tag == "marquee") return attribute == "bgcolor" || attribute == "background";
  if (tag == "table" || tag == "td" || tag == "th" || tag == "tr")
    return attribute == "bgcolor" || attribute == "style";
  if (tag == "span" || tag == "p" || tag == "div" || tag == "a") return attribute == "style";
  return false;
}

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}
bool asciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
std::string_view trimmed(std::string_view s) {
  while (!s.empty() && asciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && asciiSpace(s.back())) s.remove_suffix(1);
  return s;
}
bool containsNoCase(std::string_view haystack, std::string_view needle) {
  return lowered(haystack).find(needle) != std::string::npos;
}

// ---- Code points, and the character classes of HTML.pm's regexes (Perl, Unicode strings).

// The code point at `i` (advanced past it); invalid bytes read as U+FFFD, one byte each.
unsigned long nextCodePoint(std::string_view s, size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  size_t n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
  if (n == 0 || i + n > s.size()) {
    ++i;
    return b < 0x80 ? b : 0xFFFD;
  }
  unsigned long cp = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
  for (size_t k = 1; k < n; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c >> 6) != 2) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  i += n;
  return cp;
}

std::vector<unsigned long> codePoints(std::string_view s) {
  std::vector<unsigned long> out;
  for (size_t i = 0; i < s.size();) out.push_back(nextCodePoint(s, i));
  return out;
}

size_t codePointCount(std::string_view s) {
  size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

// Perl's \s on a Unicode string.
bool perlSpace(unsigned long cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000;
}

bool asciiPunct(unsigned long cp) {
  return (cp >= 0x21 && cp <= 0x2F) || (cp >= 0x3A && cp <= 0x40) || (cp >= 0x5B && cp <= 0x60) ||
         (cp >= 0x7B && cp <= 0x7E);
}

// [^\s\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]: HTML.pm's "part of a word" for obfuscation.
bool wordish(unsigned long cp) {
  return !perlSpace(cp) && !asciiPunct(cp);
}

// Perl's \w, approximated outside ASCII: letters and digits, not the symbol and punctuation
// blocks (Latin-1's symbols, general punctuation, currency, arrows to dingbats, CJK symbols,
// the emoji planes).
bool perlWord(unsigned long cp) {
  if (cp < 0x80)
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
           cp == '_';
  if (perlSpace(cp)) return false;
  if (cp < 0xC0) return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
  if (cp == 0xD7 || cp == 0xF7) return false;
  if (cp >= 0x2000 && cp <= 0x2BFF) return false;
  if (cp >= 0x3000 && cp <= 0x303F) return false;
  if (cp >= 0xFF00 && cp <= 0xFF0F) return false;
  if (cp >= 0x1F000 && cp <= 0x1FAFF) return false;
  return cp != 0xFFFD;
}

// /\b([class]{1,7})\z/: the length of the match, 0 for none.
size_t trailingWordLength(const std::vector<unsigned long>& s) {
  size_t run = 0;
  while (run < s.size() && run < 7 && wordish(s[s.size() - 1 - run])) ++run;
  for (size_t k = run; k >= 1; --k) {  // leftmost start first: the longest run
    const size_t at = s.size() - k;
    const bool before = at > 0 && perlWord(s[at - 1]);
    if (before != perlWord(s[at])) return k;
  }
  return 0;
}

// /^([class]{1,7})\b/: the length of the match, 0 for none.
size_t leadingWordLength(const std::vector<unsigned long>& s) {
  size_t run = 0;
  while (run < s.size() && run < 7 && wordish(s[run])) ++run;
  for (size_t k = run; k >= 1; --k) {  // greedy, backing off
    const bool after = k < s.size() && perlWord(s[k]);
    if (perlWord(s[k - 1]) != after) return k;
  }
  return 0;
}

// ---- The walk.

struct TextStyle {
  std::string tag;
  std::string fgcolor = "#000000";
  std::string bgcolor = "#ffffff";
  long size = 3;
  std::map<std::string, std::string> style;  // style_<property> values
};

struct Attribute {
  std::string name;   // lower-cased
  std::string value;  // entities decoded
};

// A tag's attributes in order, names lower-cased, values decoded (HTML::Parser's attr hash;
// a repeated name keeps its first value).
std::vector<Attribute> parseAttributes(std::string_view attrs) {
  std::vector<Attribute> out;
  size_t j = 0;
  while (j < attrs.size()) {
    if (asciiSpace(attrs[j]) || attrs[j] == '/') {
      ++j;
      continue;
    }
    const size_t nameStart = j++;
    while (j < attrs.size() && !asciiSpace(attrs[j]) && attrs[j] != '/' && attrs[j] != '=') ++j;
    Attribute a{lowered(attrs.substr(nameStart, j - nameStart)), {}};
    while (j < attrs.size() && asciiSpace(attrs[j])) ++j;
    bool hasValue = false;
    if (j < attrs.size() && attrs[j] == '=') {
      hasValue = true;
      ++j;
      while (j < attrs.size() && asciiSpace(attrs[j])) ++j;
      if (j < attrs.size() && (attrs[j] == '"' || attrs[j] == '\'')) {
        size_t close = attrs.find(attrs[j], j + 1);
        if (close == std::string_view::npos) close = attrs.size();
        a.value = decodeHtmlEntities(attrs.substr(j + 1, close - j - 1));
        j = close + 1;
      } else {
        const size_t v = j;
        while (j < attrs.size() && !asciiSpace(attrs[j])) ++j;
        a.value = decodeHtmlEntities(attrs.substr(v, j - v));
      }
    }
    if (!hasValue) a.value = a.name;  // HTML::Parser: a bare attribute's value is its name
    bool repeated =
        std::any_of(out.begin(), out.end(), [&](const Attribute& o) { return o.name == a.name; });
    if (!repeated) out.push_back(std::move(a));
  }
  return out;
}

const std::string* find(const std::vector<Attribute>& attrs, std::string_view name) {
  for (const auto& a : attrs)
    if (a.name == name) return &a.value;
  return nullptr;
}

// The font-face test HTML.pm runs (bugs 5956, 7312), on RE2 so a long value cannot make it
// backtrack.
const rules::FullRegex& fontFacePattern() {
  static const std::unique_ptr<rules::FullRegex> pattern = [] {
    rules::PerlRegex re;
    re.pattern =
        R"(^\s*["'.]?[a-z ][a-z -]*[a-z]\d?["']?(?:,\s*["']?[a-z][a-z -]*[a-z]\d?["']?)*;?$)";
    re.caseless = true;
    std::string error;
    return rules::FullRegex::compile(re, &error);
  }();
  return *pattern;
}

// Leading digits after optional blanks (/^\s*(\d+)/), or nothing.
std::optional<long> leadingNumber(std::string_view s, bool allowSign) {
  size_t i = 0;
  while (i < s.size() && asciiSpace(s[i])) ++i;
  long sign = 1;
  if (allowSign) {
    if (i >= s.size() || (s[i] != '+' && s[i] != '-')) return std::nullopt;
    sign = s[i] == '-' ? -1 : 1;
    ++i;
  }
  const size_t start = i;
  long v = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    v = std::min(v * 10 + (s[i] - '0'), 1000000000L);
    ++i;
  }
  if (i == start) return std::nullopt;
  return sign * v;
}

// HTML.pm's parse_css_background, the values of the last layer.
std::vector<std::string> lastBackgroundLayer(std::string_view background) {
  std::vector<std::vector<std::string>> layers;
  std::vector<std::string> tokens;
  std::vector<int> stack;
  int state = 0;
  std::string token;
  for (char ch : background) {
    if (state == 0) {
      if (ch == ' ') {
        if (!token.empty()) tokens.push_back(token);
        token.clear();
      } else if (ch == '(' || ch == '"' || ch == '\'') {
        token += ch;
        stack.push_back(state);
        state = ch == '(' ? 1 : ch == '"' ? 2 : 3;
      } else if (ch == ',') {
        if (!token.empty()) tokens.push_back(token);
        token.clear();
        layers.push_back(std::move(tokens));
        tokens.clear();
      } else {
        token += ch;
      }
    } else if (state == 1) {
      token += ch;
      if (ch == ')') {
        tokens.push_back(token);
        token.clear();
        state = stack.empty() ? 0 : stack.back();
        if (!stack.empty()) stack.pop_back();
      } else if (ch == '"' || ch == '\'') {
        stack.push_back(state);
        state = ch == '"' ? 2 : 3;
      }
    } else {
      token += ch;
      if ((state == 2 && ch == '"') || (state == 3 && ch == '\'')) {
        state = stack.empty() ? 0 : stack.back();
        if (!stack.empty()) stack.pop_back();
      }
    }
  }
  if (!token.empty()) tokens.push_back(token);
  if (!tokens.empty()) layers.push_back(std::move(tokens));
  return layers.empty() ? std::vector<std::string>{} : layers.back();
}

// "rgb(1, 2, 3)" as HTML.pm's style parser reads it: digits and commas only, each value
// clamped to 0..255, missing ones 0.
std::string cssRgb(std::string_view value) {
  std::array<long, 3> rgb{0, 0, 0};
  size_t k = 0;
  std::string digits;
  auto flush = [&] {
    if (k < 3) rgb[k] = digits.empty() ? 0 : std::min(std::stol(digits.substr(0, 9)), 255L);
    ++k;
    digits.clear();
  };
  for (char c : value) {
    if (c >= '0' && c <= '9') digits += c;
    if (c == ',') flush();
  }
  flush();
  char buf[16];
  std::snprintf(buf, sizeof buf, "#%02lx%02lx%02lx", rgb[0], rgb[1], rgb[2]);
  return buf;
}

class Walker {
 public:
  explicit Walker(HtmlPartFacts& facts) : f_(facts) {
    f_.numbers["html"] = 1;
    TextStyle initial;
    initial.tag = "default";
    styles_.push_back(std::move(initial));
  }

  void tag(const std::string& name, std::string_view rawAttrs, int num);
  void text(std::string_view text);
  void comment(std::string_view text) { f_.lists["comment"].emplace_back(text); }
  void doctype() {
    ++elements_;
    ++tags_;
    f_.inside["!doctype"] = 0;
  }
  long inside(std::string_view tag) const {
    auto it = f_.inside.find(tag);
    return it == f_.inside.end() ? 0 : it->second;
  }
  void finish(size_t length, size_t decodedBytes);

 private:
  void textStyle(std::string tag, const std::vector<Attribute>& attrs, int num);
  void whitespace(std::string_view tag);
  void uri(std::string_view tag, const std::vector<Attribute>& attrs);
  void pushUri(std::string_view type, std::string uri);
  std::string canonUri(std::string_view uri);
  void tests(std::string_view tag, const std::vector<Attribute>& attrs);
  bool invisible();
  void display(std::string text, bool whitespace, bool invisible);

  HtmlPartFacts& f_;
  std::vector<TextStyle> styles_;
  long basefont_ = 3, minSize_ = 3, maxSize_ = 3;
  size_t elements_ = 0, elementsSeen_ = 0, tags_ = 0, tagsSeen_ = 0, closedExtra_ = 0;
  size_t obfuscation_ = 0;
  double imageArea_ = 0;
  std::set<std::string> backhair_;
  std::string baseHref_, anchorLast_;
  // The rendered text: its totals, and its last piece (the one HTML.pm's tests look back at).
  size_t renderedLength_ = 0, renderedNonSpace_ = 0;
  bool havePiece_ = false, lastWhitespace_ = false, lastInvisible_ = false;
  std::string lastPiece_;
};

void Walker::tag(const std::string& name, std::string_view rawAttrs, int num) {
  const bool maybeNamespace = [&] {  // ^(?:o|st\d):[\w-]+/?$
    const size_t colon = name.find(':');
    if (colon == std::string::npos) return false;
    const std::string_view prefix(name.data(), colon);
    const bool office = prefix == "o" || (prefix.size() == 3 && prefix.substr(0, 2) == "st" &&
                                          prefix[2] >= '0' && prefix[2] <= '9');
    std::string_view rest = std::string_view(name).substr(colon + 1);
    if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
    return office && !rest.empty() && std::all_of(rest.begin(), rest.end(), [](char c) {
             return c == '-' || c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
           });
  }();
  const bool element = oneOf(name, kElements);
  const bool seen = f_.inside.count(name) > 0;
  if (element || maybeNamespace) {
    ++elements_;
    if (!seen) ++elementsSeen_;
  }
  ++tags_;
  if (!seen) ++tagsSeen_;
  long& count = f_.inside[name];
  count += num;
  if (count < 0) {
    count = 0;
    ++closedExtra_;
  }
  if (maybeNamespace) return;
  if (!element && !oneOf(name, kTricks)) return;
  const std::vector<Attribute> attrs =
      num == 1 ? parseAttributes(rawAttrs) : std::vector<Attribute>{};
  if (oneOf(name, kTextStyle)) textStyle(name, attrs, num);
  if (oneOf(name, kWhitespace)) whitespace(name);
  if (num == 1) {
    if (oneOf(name, kUriTags)) uri(name, attrs);
    tests(name, attrs);
  }
}

void Walker::textStyle(std::string tag, const std::vector<Attribute>& attrs, int num) {
  if (tag == "th") tag = "td";
  auto opened = [&](std::string_view t) {
    return std::any_of(styles_.begin(), styles_.end(),
                       [&](const TextStyle& s) { return s.tag == t; });
  };
  if (num != 1) {
    // Browsers render text after </body>, so it closes nothing.
    if (tag == "body" || !opened(tag)) return;
    while (!styles_.empty()) {
      const bool last = styles_.back().tag == tag;
      styles_.pop_back();
      if (last) break;
    }
    return;
  }
  if (tag == "basefont") {
    if (const std::string* size = find(attrs, "size")) {
      if (auto n = leadingNumber(*size, false)) {
        basefont_ = *n;
        return;
      }
    }
  }
  if ((tag == "td" || tag == "tr") && opened(tag)) {  // close_table_tag
    while (!styles_.empty()) {
      const std::string& top = styles_.back().tag;
      if (top.empty()) break;
      const bool pop = tag == "td" ? (top == "font" || top == "td")
                                   : (top == "font" || top == "td" || top == "tr");
      if (!pop) break;
      styles_.pop_back();
    }
  }
  // The default style is never closed by HTML.pm's own rules, but an end tag past every
  // opened one can leave the stack empty; HTML.pm then reads empty values.
  TextStyle next = styles_.empty() ? TextStyle{"", "", "", 0, {}} : styles_.back();
  next.tag = tag;
  if (tag == "big" || tag == "small") {
    next.size += tag == "big" ? 1 : -1;
    styles_.push_back(std::move(next));
    return;
  }
  const std::string parentBg = next.bgcolor;
  for (const auto& a : attrs) {
    if (!ok(tag, a.name)) continue;
    if (a.name == "text" || a.name == "color") {
      next.fgcolor = htmlNameToRgb(a.value);
    } else if (a.name == "size") {
      if (auto rel = leadingNumber(a.value, true))
        next.size = basefont_ + *rel;
      else if (auto abs = leadingNumber(a.value, false))
        next.size = *abs;
    } else if (a.name == "style") {
      std::string_view rest = a.value;
      while (true) {
        size_t semi = rest.find(';');
        std::string_view part = rest.substr(0, semi);
        std::string_view t = trimmed(part);
        std::string lt = lowered(t);
        size_t colon = t.find(':');
        if (colon != std::string_view::npos) {
          std::string property = lowered(trimmed(t.substr(0, colon)));
          std::string_view value = trimmed(t.substr(colon + 1));
          const bool isColor =
              lt.compare(0, 6, "color:") == 0 || lt.compare(0, 17, "background-color:") == 0;
          if (isColor && !value.empty()) {
            const bool bg = lt[0] == 'b';
            std::string v = lowered(value);
            // "!important" is a valid CSS3 suffix, not part of the color (bug 7892).
            if (size_t bang = v.rfind('!');
                bang != std::string::npos &&
                trimmed(std::string_view(v).substr(bang + 1)) == "important")
              v = std::string(trimmed(std::string_view(v).substr(0, bang)));
            std::string& target = bg ? next.bgcolor : next.fgcolor;
            if (v.find("rgb") != std::string::npos)
              target = cssRgb(v);
            else if (v == "inherit") {
            } else if (v == "transparent")
              target = v;
            else
              target = htmlNameToRgb(v);
          } else if (t.compare(0, 11, "background:") == 0 && !value.empty()) {
            for (const auto& candidate : lastBackgroundLayer(lowered(value))) {
              std::string color = htmlNameToRgb(candidate);
              if (color != "invalid") {
                next.bgcolor = color;
                break;
              }
            }
          } else if (!property.empty() && !value.empty() &&
                     std::all_of(property.begin(), property.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || c == '_' || c == '-';
                     })) {
            // The property as written: "Display: none" is not style_display for HTML.pm.
            next.style[std::string(trimmed(t.substr(0, colon)))] = std::string(value);
          }
        }
        if (semi == std::string_view::npos) break;
        rest.remove_prefix(semi + 1);
      }
      if (next.bgcolor == "transparent") next.bgcolor = parentBg;  // bug 8205
      if (next.fgcolor == "transparent") next.fgcolor = next.bgcolor;
    }
    if (next.size > maxSize_)
      maxSize_ = next.size;
    else if (next.size < minSize_)
      minSize_ = next.size;
  }
  styles_.push_back(std::move(next));
}

void Walker::whitespace(std::string_view tag) {
  if (tag == "br" || tag == "div")
    display("\n", true, false);
  else if (tag == "li" || tag == "th" || tag == "td" || tag == "dt" || tag == "dd" ||
           tag == "embed" || (tag.size() == 2 && tag[0] == 'h' && tag[1] >= '0' && tag[1] <= '9'))
    display(" ", true, false);
  else
    display("\n\n", true, false);
}

std::string Walker::canonUri(std::string_view uri) {
  auto space = [](std::string_view s, size_t at, bool back) -> size_t {
    // [\s\xA0]: ASCII blanks and U+00A0 (two bytes in UTF-8)
    if (!back) {
      if (asciiSpace(s[at])) return 1;
      if (s.substr(at, 2) == "\xC2\xA0") return 2;
    } else {
      if (asciiSpace(s[at - 1])) return 1;
      if (at >= 2 && s.substr(at - 2, 2) == "\xC2\xA0") return 2;
    }
    return 0;
  };
  while (!uri.empty()) {
    size_t n = space(uri, 0, false);
    if (!n) break;
    uri.remove_prefix(n);
  }
  while (!uri.empty()) {
    size_t n = space(uri, uri.size(), true);
    if (!n) break;
    uri.remove_suffix(n);
  }
  if (codePointCount(uri) > kMaxUriLength) {
    f_.numbers["uri_truncated"] = 1;
    size_t i = 0;
    for (size_t k = 0; k < kMaxUriLength; ++k) nextCodePoint(uri, i);
    uri = uri.substr(0, i);
  }
  return std::string(uri);
}

void Walker::pushUri(std::string_view type, std::string uri) {
  uri = canonUri(uri);
  if (uri.empty()) return;
  std::string l = lowered(uri.substr(0, 6));
  const bool noTarget = l.compare(0, 5, "data:") == 0 || l.compare(0, 7, "mailto:") == 0 ||
                        lowered(uri.substr(0, 7)) == "mailto:" || l.compare(0, 5, "file:") == 0 ||
                        l.compare(0, 4, "cid:") == 0 || l.compare(0, 4, "tel:") == 0;
  std::string key = noTarget ? uri : htmlTargetUri(baseHref_, uri);
  if (!key.empty()) f_.uris[key].types.emplace(type);
}

void Walker::uri(std::string_view tag, const std::vector<Attribute>& attrs) {
  // Badly formed HTML such as <a foo/href="..."> still names its link (\w{1,8}/href).
  auto value = [&](std::string_view name) -> const std::string* {
    const std::string* v = nullptr;
    for (const auto& a : attrs) {
      size_t slash = a.name.rfind('/');
      if (slash != std::string::npos && slash > 0 && a.name.substr(slash + 1) == name) v = &a.value;
    }
    return v ? v : find(attrs, name);
  };
  if (tag == "body" || tag == "table" || tag == "tr" || tag == "td") {
    if (const auto* v = find(attrs, "background")) pushUri(tag, *v);
  } else if (tag == "a" || tag == "area" || tag == "link") {
    if (const auto* v = value("href")) {
      std::string href = *v;
      for (size_t at; (at = href.find("\xEF\xBB\xBF")) != std::string::npos;) href.erase(at, 3);
      pushUri(tag, href);
    }
    if (const auto* v = find(attrs, "data-saferedirecturl")) pushUri(tag, *v);
  } else if (tag == "img" || tag == "frame" || tag == "iframe" || tag == "embed" ||
             tag == "script" || tag == "bgsound") {
    if (const auto* v = value("src")) pushUri(tag, *v);
  } else if (tag == "form") {
    if (const auto* v = find(attrs, "action")) pushUri(tag, *v);
  } else if (tag == "base") {
    const auto* v = find(attrs, "href");
    if (!v || v->empty() || *v == "0") return;
    std::string base = canonUri(*v);
    pushUri(tag, base);
    // Browsers use an absolute base of a standard protocol only: m@^(?:https?|ftp):/{0,2}@i
    std::string l = lowered(base);
    if (l.compare(0, 5, "http:") == 0 || l.compare(0, 6, "https:") == 0 ||
        l.compare(0, 4, "ftp:") == 0) {
      // Drop a trailing file name: s@^([a-z]+:/{0,2}[^/]+/.*?)[^/\.]+\.[^/\.]{2,4}$@$1@i
      size_t schemeEnd = l.find(':') + 1;
      size_t hostStart = schemeEnd;
      while (hostStart < l.size() && hostStart < schemeEnd + 2 && l[hostStart] == '/') ++hostStart;
      size_t firstSlash = base.find('/', hostStart);
      size_t lastSlash = base.rfind('/');
      if (firstSlash != std::string::npos && firstSlash > hostStart) {
        std::string_view file = std::string_view(base).substr(lastSlash + 1);
        size_t dot = file.rfind('.');
        if (dot != std::string_view::npos && dot > 0 && file.size() - dot - 1 >= 2 &&
            file.size() - dot - 1 <= 4 && file.substr(0, dot).find('.') == std::string_view::npos)
          base.resize(lastSlash + 1);
      }
      if (base.empty() || base.back() != '/') base += '/';
      baseHref_ = base;
    }
  } else if (tag == "meta") {
    const auto* equiv = find(attrs, "http-equiv");
    const auto* content = find(attrs, "content");
    if (!equiv || !content || !containsNoCase(*equiv, "refresh")) return;
    std::string l = lowered(*content);
    size_t at = std::string::npos;
    for (size_t p = l.find("url"); p != std::string::npos; p = l.find("url", p + 1)) {
      const bool boundary = p == 0 || !((l[p - 1] >= 'a' && l[p - 1] <= 'z') ||
                                        (l[p - 1] >= '0' && l[p - 1] <= '9') || l[p - 1] == '_');
      size_t q = p + 3;
      while (q < l.size() && asciiSpace(l[q])) ++q;
      if (boundary && q < l.size() && l[q] == '=') at = q + 1;  // the last "url=" (greedy .*)
    }
    if (at == std::string::npos) return;
    while (at < l.size() && asciiSpace(l[at])) ++at;
    std::string target = content->substr(at);
    size_t semi = target.find(';');
    if (semi != std::string::npos) target.resize(semi);
    target = std::string(trimmed(target));
    pushUri(tag, target);
  }
}

void Walker::tests(std::string_view tag, const std::vector<Attribute>& attrs) {
  if (tag == "font") {
    if (const auto* face = find(attrs, "face"))
      if (!fontFacePattern().search(*face)) f_.numbers["font_face_bad"] = 1;
  }
  if (tag == "img" && inside("a") > 0) {
    auto& detail = f_.uris[anchorLast_];
    detail.hasAnchorText = true;
    if (detail.anchorText.empty()) detail.anchorText.emplace_back();
    detail.anchorText.back() += "<img>\n";
    auto& anchors = f_.lists["anchor"];
    if (anchors.empty()) anchors.emplace_back();
    anchors.back() += "<img>\n";
  }
  if (tag == "img") {
    const auto* w = find(attrs, "width");
    const auto* h = find(attrs, "height");
    if (w && h) {
      // An 800x600 screen for percentages; a size that does not read is guessed as 200.
      auto dimension = [](const std::string& v, double percentScale) -> double {
        size_t i = 0;
        double n = 0;
        while (i < v.size() && v[i] >= '0' && v[i] <= '9') n = n * 10 + (v[i++] - '0');
        if (i == 0) return 0;
        if (i == v.size()) return n;
        if (v[i] == '%' && i + 1 == v.size()) return n * percentScale;
        if (v[i] == '\n' && i + 1 == v.size()) return n;  // Perl's $ before a final newline
        return 0;
      };
      double width = dimension(*w, 8), height = dimension(*h, 6);
      if (width <= 0) width = 200;
      if (height <= 0) height = 200;
      imageArea_ += width * height;
    }
  }
  if (tag == "form") {
    if (const auto* action = find(attrs, "action"))
      if (containsNoCase(*action, "mailto:")) f_.numbers["form_action_mailto"] = 1;
  }
  if (tag == "object" || tag == "embed") f_.numbers["embeds"] = 1;
  if (tag == "a") {
    const auto* href = find(attrs, "href");
    anchorLast_ = href ? canonUri(*href) : "";
    auto& detail = f_.uris[anchorLast_];
    detail.hasAnchorText = true;
    detail.anchorText.emplace_back();
    f_.lists["anchor"].emplace_back();
  }
  if (tag == "title") f_.lists["title"].emplace_back();
  if (tag == "meta") {
    const auto* equiv = find(attrs, "http-equiv");
    const auto* content = find(attrs, "content");
    if (equiv && content && containsNoCase(*equiv, "content-type")) {
      // /\bcharset\s*=\s*["']?([^"']+)/i
      std::string l = lowered(*content);
      for (size_t p = l.find("charset"); p != std::string::npos; p = l.find("charset", p + 1)) {
        if (p > 0 && ((l[p - 1] >= 'a' && l[p - 1] <= 'z') ||
                      (l[p - 1] >= '0' && l[p - 1] <= '9') || l[p - 1] == '_'))
          continue;
        size_t q = p + 7;
        while (q < l.size() && asciiSpace(l[q])) ++q;
        if (q >= l.size() || l[q] != '=') continue;
        ++q;
        while (q < l.size() && asciiSpace(l[q])) ++q;
        if (q < l.size() && (l[q] == '"' || l[q] == '\'')) ++q;
        size_t end = content->find_first_of("\"'", q);
        std::string charset = content->substr(q, end == std::string::npos ? end : end - q);
        if (charset.empty()) continue;
        f_.charsets = f_.charsets ? *f_.charsets + " " + charset : charset;
        break;
      }
    }
  }
}

bool Walker::invisible() {
  if (styles_.empty()) return false;
  const TextStyle& top = styles_.back();
  const std::string& fg = top.fgcolor;
  const std::string& bg = top.bgcolor;
  auto last6 = [](const std::string& s) { return s.size() > 6 ? s.substr(s.size() - 6) : s; };
  if (last6(fg) == last6(bg)) {
    f_.numbers["font_low_contrast"] = 1;
    return true;
  }
  auto rgb = [](const std::string& c, std::array<int, 3>& out) {
    std::string_view v = c;
    if (!v.empty() && v[0] == '#') v.remove_prefix(1);
    if (v.size() != 6) return false;
    for (int k = 0; k < 3; ++k) {
      int value = 0;
      for (int d = 0; d < 2; ++d) {
        char ch = v[static_cast<size_t>(k * 2 + d)];
        int digit = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
        if (digit < 0) return false;
        value = value * 16 + digit;
      }
      out[static_cast<size_t>(k)] = value;
    }
    return true;
  };
  std::array<int, 3> a{}, b{};
  if (rgb(fg, a) && rgb(bg, b)) {
    const double r = a[0] - b[0], g = a[1] - b[1], bl = a[2] - b[2];
    // Distance weighted by brightness; under 12 the text is very hard to read.
    const double distance =
        std::sqrt(std::pow(0.2126 * r, 2) + std::pow(0.7152 * g, 2) + std::pow(0.0722 * bl, 2));
    if (distance < 12) {
      f_.numbers["font_low_contrast"] = 1;
      return true;
    }
  }
  if (fg == "invalid" || bg == "invalid") {
    f_.numbers["font_invalid_color"] = 1;
    return true;
  }
  if (top.size <= 1) return true;
  auto it = top.style.find("display");
  if (it != top.style.end() && lowered(it->second) == "none") return true;
  it = top.style.find("visibility");
  return it != top.style.end() && lowered(it->second) == "hidden";
}

void Walker::display(std::string text, bool whitespace, bool invisible) {
  if (whitespace) {
    // Trim a trailing space from the previous piece when it was visible text.
    if (havePiece_ && !lastWhitespace_ && !lastInvisible_ && !lastPiece_.empty() &&
        lastPiece_.back() == ' ') {
      lastPiece_.pop_back();
      --renderedLength_;
    }
  } else {
    std::string collapsed;
    collapsed.reserve(text.size());
    bool inRun = false;
    for (char c : text) {
      const bool blank = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
      if (!blank)
        collapsed += c;
      else if (!inRun)
        collapsed += ' ';
      inRun = blank;
    }
    text = std::move(collapsed);
    if (havePiece_ && !invisible && lastWhitespace_ && !text.empty() && text[0] == ' ')
      text.erase(0, 1);
  }
  for (size_t i = 0; i < text.size();) {
    const unsigned long cp = nextCodePoint(text, i);
    ++renderedLength_;
    if (!perlSpace(cp)) ++renderedNonSpace_;
  }
  havePiece_ = true;
  lastWhitespace_ = whitespace;
  lastInvisible_ = invisible;
  lastPiece_ = std::move(text);
}

void Walker::text(std::string_view raw) {
  std::string text = decodeHtmlEntities(raw);
  if (inside("script") > 0) {
    f_.lists["script"].push_back(std::move(text));
    return;
  }
  if (inside("style") > 0) return;
  if (inside("a") > 0) {
    auto& detail = f_.uris[anchorLast_];
    detail.hasAnchorText = true;
    if (detail.anchorText.empty()) detail.anchorText.emplace_back();
    detail.anchorText.back() += text;
    auto& anchors = f_.lists["anchor"];
    if (anchors.empty()) anchors.emplace_back();
    anchors.back() += text;
  }
  if (inside("title") > 0) {
    auto& titles = f_.lists["title"];
    if (titles.empty()) titles.emplace_back();
    titles.back() += text;
  }
  bool hidden = false;
  if (std::any_of(text.begin(), text.end(), [](char c) { return !asciiSpace(c); }))
    hidden = invisible();
  if (havePiece_ && !text.empty()) {
    const auto current = codePoints(text);
    const auto previous = codePoints(lastPiece_);
    if (!current.empty() && wordish(current.front()) && !previous.empty() &&
        wordish(previous.back()))
      ++obfuscation_;
    if (size_t start = trailingWordLength(previous))
      if (size_t length = leadingWordLength(current))
        backhair_.insert(std::to_string(start) + "_" + std::to_string(length));
  }
  display(std::move(text), false, hidden);
}

void Walker::finish(size_t length, size_t decodedBytes) {
  auto& n = f_.numbers;
  n["image_area"] = imageArea_;
  n["length"] = static_cast<double>(length);
  n["min_size"] = static_cast<double>(minSize_);
  n["max_size"] = static_cast<double>(maxSize_);
  if (tags_ > 0) {
    const double tags = static_cast<double>(tags_);
    n["closed_extra_ratio"] = static_cast<double>(closedExtra_) / tags;
    if (elements_ > 0) n["bad_tag_ratio"] = (tags - static_cast<double>(elements_)) / tags;
    if (obfuscation_ > 0) n["obfuscation_ratio"] = static_cast<double>(obfuscation_) / tags;
  }
  if (elementsSeen_ > 0 && tagsSeen_ > 0)
    n["non_element_ratio"] =
        static_cast<double>(tagsSeen_ - elementsSeen_) / static_cast<double>(tagsSeen_);
  if (!backhair_.empty()) n["backhair_count"] = static_cast<double>(backhair_.size());
  n["html_length"] = static_cast<double>(renderedLength_);
  n["non_space_len"] = static_cast<double>(renderedNonSpace_);
  if (decodedBytes > 0)
    n["ratio"] = (static_cast<double>(decodedBytes) - static_cast<double>(renderedLength_)) /
                 static_cast<double>(decodedBytes);
}

// HTML.pm's rewrites before parsing: "&nbsp;" is a space, "<br/>" is "<br>" (bug 4695),
// curly double quotes are straight ones (attributes parse as the sender meant).
std::string preprocess(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  for (size_t i = 0; i < html.size();) {
    if (html.compare(i, 6, "&nbsp;") == 0) {
      out += ' ';
      i += 6;
    } else if (html.compare(i, 3, "\xE2\x80\x9C") == 0 || html.compare(i, 3, "\xE2\x80\x9D") == 0) {
      out += '"';
      i += 3;
    } else if (html[i] == '<') {
      // <(\w+)\s*\/> -> <$1>
      size_t j = i + 1;
      while (j < html.size() &&
             (std::isalnum(static_cast<unsigned char>(html[j])) || html[j] == '_'))
        ++j;
      size_t k = j;
      while (k < html.size() && asciiSpace(html[k])) ++k;
      if (j > i + 1 && k + 1 < html.size() && html[k] == '/' && html[k + 1] == '>') {
        out.append(html.substr(i, j - i));
        out += '>';
        i = k + 2;
      } else {
        out += '<';
        ++i;
      }
    } else {
      out += html[i++];
    }
  }
  return out;
}

bool isDoctype(std::string_view token) {
  return token.size() >= 9 && lowered(token.substr(0, 9)) == "<!doctype";
}

}  // namespace

const double* HtmlPartFacts::number(std::string_view name) const {
  auto it = numbers.find(name);
  return it == numbers.end() ? nullptr : &it->second;
}

const std::vector<std::string>* HtmlPartFacts::list(std::string_view name) const {
  auto it = lists.find(name);
  return it == lists.end() ? nullptr : &it->second;
}

bool HtmlPartFacts::isTrue(std::string_view name) const {
  if (const double* n = number(name)) return *n != 0;
  if (list(name)) return true;  // an array reference
  if (name == "inside") return !inside.empty();
  if (name == "uri_detail" || name == "uri") return !uris.empty();
  if (name == "charsets") return charsets && !charsets->empty() && *charsets != "0";
  return false;
}

HtmlPartFacts computeHtmlPartFacts(std::string_view utf8Html, size_t decodedBytes,
                                   const mime::HtmlLimits& limits, const mime::WorkBudget* budget) {
  HtmlPartFacts facts;
  const size_t length = codePointCount(utf8Html);
  if (utf8Html.size() > limits.maxBytes) {
    utf8Html = utf8Html.substr(0, limits.maxBytes);
    facts.cut = true;
  }
  const std::string html = preprocess(utf8Html);
  Walker walker(facts);
  mime::HtmlTokenizer tokens(html);
  size_t count = 0;
  for (mime::HtmlToken t = tokens.next(); t.kind != mime::HtmlToken::Kind::End; t = tokens.next()) {
    if (budget && ++count % kTokensPerBudgetCheck == 0 && budget->exhausted()) {
      facts.cut = true;
      break;
    }
    const std::string_view bytes = std::string_view(html).substr(t.begin, t.end - t.begin);
    switch (t.kind) {
      case mime::HtmlToken::Kind::Text:
        walker.text(bytes);
        break;
      case mime::HtmlToken::Kind::StartTag:
        walker.tag(t.name, t.attrs, 1);
        if (oneOf(t.name, kLiteral)) tokens.rawTextUntilEndOf(t.name);
        break;
      case mime::HtmlToken::Kind::EndTag:
        walker.tag(t.name, {}, -1);
        break;
      case mime::HtmlToken::Kind::Comment:
        if (bytes.compare(0, 4, "<!--") == 0)
          walker.comment(bytes);
        else if (isDoctype(bytes))
          walker.doctype();
        else if (bytes.size() >= 2 && bytes[1] == '!' &&
                 !(bytes.size() > 2 && std::isalpha(static_cast<unsigned char>(bytes[2]))))
          walker.comment(bytes);  // "<!>", "<! x>": HTML::Parser reports them as comments
        break;
      case mime::HtmlToken::Kind::End:
        break;
    }
  }
  // Bug 7437: an unclosed <style> or <script> is closed at the end, one end tag at a time.
  while (walker.inside("style") > 0) walker.tag("style", {}, -1);
  while (walker.inside("script") > 0) walker.tag("script", {}, -1);
  walker.finish(length, decodedBytes);
  return facts;
}

namespace {

bool rendersAsHtml(const mime::Part& part) {
  if (part.mediaType() == "text/html") return true;
  // Node.pm's effective_type: a part named *.htm, *.html, *.shtml is HTML whatever its type.
  std::string name = lowered(part.filename);
  for (std::string_view ext : {".htm", ".html", ".shtm", ".shtml"})
    if (name.size() >= ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0)
      return true;
  return false;
}

void collectHtmlLeaves(const mime::Part& part, std::vector<const mime::Part*>& out) {
  if (part.children.empty()) {
    if (rendersAsHtml(part)) out.push_back(&part);
    return;
  }
  for (const auto& child : part.children) collectHtmlLeaves(child, out);
}

}  // namespace

HtmlFacts::HtmlFacts(const EvalContext& context) {
  const mime::Message& message = context.message();
  std::vector<const mime::Part*> leaves;
  collectHtmlLeaves(message.root, leaves);
  for (const mime::Part* part : leaves) {
    if (part->decoded.empty()) continue;  // rendered() renders no HTML for an empty body
    if (message.budget.exhausted()) break;
    std::string converted;
    std::string_view html = part->text;
    if (html.empty()) {  // not a text/* part, or left undecoded by the MIME layer
      auto cs = part->params.find("charset");
      converted =
          mime::toUtf8(part->decoded, cs == part->params.end() ? "us-ascii" : cs->second).utf8;
      html = converted;
    }
    parts_.push_back(
        computeHtmlPartFacts(html, part->decoded.size(), message.limits.html, &message.budget));
  }
}

}  // namespace portcullis::content::evals
