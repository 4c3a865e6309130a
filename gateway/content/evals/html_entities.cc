// Why not gumbo's table: gumbo decodes while it builds a tree and does not expose the decoder;
// the statistics need the text of each token on its own.
#include "gateway/content/evals/html_entities.h"

#include <array>

namespace portcullis::content::evals {

namespace {

// HTML 4's Latin-1 entities name U+00A0 to U+00FF in order.
constexpr std::array<std::string_view, 96> kLatin1 = {
    "nbsp",   "iexcl",  "cent",   "pound",  "curren", "yen",    "brvbar", "sect",   "uml",
    "copy",   "ordf",   "laquo",  "not",    "shy",    "reg",    "macr",   "deg",    "plusmn",
    "sup2",   "sup3",   "acute",  "micro",  "para",   "middot", "cedil",  "sup1",   "ordm",
    "raquo",  "frac14", "frac12", "frac34", "iquest", "Agrave", "Aacute", "Acirc",  "Atilde",
    "Auml",   "Aring",  "AElig",  "Ccedil", "Egrave", "Eacute", "Ecirc",  "Euml",   "Igrave",
    "Iacute", "Icirc",  "Iuml",   "ETH",    "Ntilde", "Ograve", "Oacute", "Ocirc",  "Otilde",
    "Ouml",   "times",  "Oslash", "Ugrave", "Uacute", "Ucirc",  "Uuml",   "Yacute", "THORN",
    "szlig",  "agrave", "aacute", "acirc",  "atilde", "auml",   "aring",  "aelig",  "ccedil",
    "egrave", "eacute", "ecirc",  "euml",   "igrave", "iacute", "icirc",  "iuml",   "eth",
    "ntilde", "ograve", "oacute", "ocirc",  "otilde", "ouml",   "divide", "oslash", "ugrave",
    "uacute", "ucirc",  "uuml",   "yacute", "thorn",  "yuml"};

struct Named {
  std::string_view name;
  unsigned long cp;
};

// HTML 4's special set and the symbols mail uses.
constexpr Named kOther[] = {
    {"amp", '&'},       {"lt", '<'},        {"gt", '>'},        {"quot", '"'},
    {"apos", '\''},     {"OElig", 0x152},   {"oelig", 0x153},   {"Scaron", 0x160},
    {"scaron", 0x161},  {"Yuml", 0x178},    {"circ", 0x2c6},    {"tilde", 0x2dc},
    {"ensp", 0x2002},   {"emsp", 0x2003},   {"thinsp", 0x2009}, {"zwnj", 0x200c},
    {"zwj", 0x200d},    {"lrm", 0x200e},    {"rlm", 0x200f},    {"ndash", 0x2013},
    {"mdash", 0x2014},  {"lsquo", 0x2018},  {"rsquo", 0x2019},  {"sbquo", 0x201a},
    {"ldquo", 0x201c},  {"rdquo", 0x201d},  {"bdquo", 0x201e},  {"dagger", 0x2020},
    {"Dagger", 0x2021}, {"permil", 0x2030}, {"lsaquo", 0x2039}, {"rsaquo", 0x203a},
    {"euro", 0x20ac},   {"fnof", 0x192},    {"bull", 0x2022},   {"hellip", 0x2026},
    {"prime", 0x2032},  {"Prime", 0x2033},  {"oline", 0x203e},  {"frasl", 0x2044},
    {"trade", 0x2122},  {"larr", 0x2190},   {"uarr", 0x2191},   {"rarr", 0x2192},
    {"darr", 0x2193},   {"harr", 0x2194},   {"minus", 0x2212},  {"infin", 0x221e},
    {"ne", 0x2260},     {"le", 0x2264},     {"ge", 0x2265},     {"loz", 0x25ca},
    {"spades", 0x2660}, {"clubs", 0x2663},  {"hearts", 0x2665}, {"diams", 0x2666},
};

bool isAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool lookup(std::string_view name, unsigned long& cp) {
  for (size_t i = 0; i < kLatin1.size(); ++i)
    if (kLatin1[i] == name) {
      cp = 0xA0 + i;
      return true;
    }
  for (const auto& n : kOther)
    if (n.name == name) {
      cp = n.cp;
      return true;
    }
  return false;
}

// A reference at `amp` ('&'): its code point and length, or false when it is none.
bool reference(std::string_view s, size_t amp, unsigned long& cp, size_t& length) {
  size_t i = amp + 1;
  if (i < s.size() && s[i] == '#') {
    ++i;
    const bool hex = i < s.size() && (s[i] == 'x' || s[i] == 'X');
    if (hex) ++i;
    const size_t digits = i;
    unsigned long v = 0;
    while (i < s.size()) {
      char c = s[i];
      int d = c >= '0' && c <= '9'          ? c - '0'
              : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
              : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                            : -1;
      if (d < 0) break;
      v = v * (hex ? 16 : 10) + static_cast<unsigned long>(d);
      if (v > 0x10FFFF) v = 0x110000;  // stays out of range, never overflows
      ++i;
    }
    if (i == digits) return false;
    if (i < s.size() && s[i] == ';') ++i;
    cp = v == 0 ? 0xFFFD : v;
    length = i - amp;
    return true;
  }
  const size_t start = i;
  while (i < s.size() && isAlnum(s[i]) && i - start < 8) ++i;
  // The longest known name wins; without ';' it must not run into more letters or digits.
  for (size_t end = i; end > start; --end) {
    if (!lookup(s.substr(start, end - start), cp)) continue;
    if (end < s.size() && s[end] == ';') {
      length = end + 1 - amp;
      return true;
    }
    if (end < s.size() && isAlnum(s[end])) return false;
    length = end - amp;
    return true;
  }
  return false;
}

}  // namespace

void appendUtf8(std::string& out, unsigned long cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string decodeHtmlEntities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    size_t amp = text.find('&', i);
    if (amp == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    out.append(text.substr(i, amp - i));
    unsigned long cp = 0;
    size_t length = 0;
    if (reference(text, amp, cp, length)) {
      appendUtf8(out, cp);
      i = amp + length;
    } else {
      out += '&';
      i = amp + 1;
    }
  }
  return out;
}

}  // namespace portcullis::content::evals
