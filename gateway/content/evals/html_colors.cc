// A port of HTML.pm's name_to_rgb: the result strings are compared as HTML.pm compares them
// (the last six characters for equal colors), so the quirks are kept: a bare "ff0000"
// without '#' is invalid, "#" alone stays "#", rgb() values over 255 give three hex digits.
#include "gateway/content/evals/html_colors.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <string>

namespace portcullis::content::evals {

namespace {

struct NamedColor {
  std::string_view name;
  unsigned rgb;
};

// HTML 4's sixteen colors and CSS3's extended set, as HTML.pm lists them (sorted by name).
constexpr NamedColor kNamedColors[] = {
    {"aliceblue", 0xf0f8ff},
    {"antiquewhite", 0xfaebd7},
    {"aqua", 0x00ffff},
    {"aquamarine", 0x7fffd4},
    {"azure", 0xf0ffff},
    {"beige", 0xf5f5dc},
    {"bisque", 0xffe4c4},
    {"black", 0x000000},
    {"blanchedalmond", 0xffebcd},
    {"blue", 0x0000ff},
    {"blueviolet", 0x8a2be2},
    {"brown", 0xa52a2a},
    {"burlywood", 0xdeb887},
    {"cadetblue", 0x5f9ea0},
    {"chartreuse", 0x7fff00},
    {"chocolate", 0xd2691e},
    {"coral", 0xff7f50},
    {"cornflowerblue", 0x6495ed},
    {"cornsilk", 0xfff8dc},
    {"crimson", 0xdc143c},
    {"cyan", 0x00ffff},
    {"darkblue", 0x00008b},
    {"darkcyan", 0x008b8b},
    {"darkgoldenrod", 0xb8860b},
    {"darkgray", 0xa9a9a9},
    {"darkgreen", 0x006400},
    {"darkgrey", 0xa9a9a9},
    {"darkkhaki", 0xbdb76b},
    {"darkmagenta", 0x8b008b},
    {"darkolivegreen", 0x556b2f},
    {"darkorange", 0xff8c00},
    {"darkorchid", 0x9932cc},
    {"darkred", 0x8b0000},
    {"darksalmon", 0xe9967a},
    {"darkseagreen", 0x8fbc8f},
    {"darkslateblue", 0x483d8b},
    {"darkslategray", 0x2f4f4f},
    {"darkslategrey", 0x2f4f4f},
    {"darkturquoise", 0x00ced1},
    {"darkviolet", 0x9400d3},
    {"deeppink", 0xff1493},
    {"deepskyblue", 0x00bfff},
    {"dimgray", 0x696969},
    {"dimgrey", 0x696969},
    {"dodgerblue", 0x1e90ff},
    {"firebrick", 0xb22222},
    {"floralwhite", 0xfffaf0},
    {"forestgreen", 0x228b22},
    {"fuchsia", 0xff00ff},
    {"gainsboro", 0xdcdcdc},
    {"ghostwhite", 0xf8f8ff},
    {"gold", 0xffd700},
    {"goldenrod", 0xdaa520},
    {"gray", 0x808080},
    {"green", 0x008000},
    {"greenyellow", 0xadff2f},
    {"grey", 0x808080},
    {"honeydew", 0xf0fff0},
    {"hotpink", 0xff69b4},
    {"indianred", 0xcd5c5c},
    {"indigo", 0x4b0082},
    {"ivory", 0xfffff0},
    {"khaki", 0xf0e68c},
    {"lavender", 0xe6e6fa},
    {"lavenderblush", 0xfff0f5},
    {"lawngreen", 0x7cfc00},
    {"lemonchiffon", 0xfffacd},
    {"lightblue", 0xadd8e6},
    {"lightcoral", 0xf08080},
    {"lightcyan", 0xe0ffff},
    {"lightgoldenrodyellow", 0xfafad2},
    {"lightgray", 0xd3d3d3},
    {"lightgreen", 0x90ee90},
    {"lightgrey", 0xd3d3d3},
    {"lightpink", 0xffb6c1},
    {"lightsalmon", 0xffa07a},
    {"lightseagreen", 0x20b2aa},
    {"lightskyblue", 0x87cefa},
    {"lightslategray", 0x778899},
    {"lightslategrey", 0x778899},
    {"lightsteelblue", 0xb0c4de},
    {"lightyellow", 0xffffe0},
    {"lime", 0x00ff00},
    {"limegreen", 0x32cd32},
    {"linen", 0xfaf0e6},
    {"magenta", 0xff00ff},
    {"maroon", 0x800000},
    {"mediumaquamarine", 0x66cdaa},
    {"mediumblue", 0x0000cd},
    {"mediumorchid", 0xba55d3},
    {"mediumpurple", 0x9370db},
    {"mediumseagreen", 0x3cb371},
    {"mediumslateblue", 0x7b68ee},
    {"mediumspringgreen", 0x00fa9a},
    {"mediumturquoise", 0x48d1cc},
    {"mediumvioletred", 0xc71585},
    {"midnightblue", 0x191970},
    {"mintcream", 0xf5fffa},
    {"mistyrose", 0xffe4e1},
    {"moccasin", 0xffe4b5},
    {"navajowhite", 0xffdead},
    {"navy", 0x000080},
    {"oldlace", 0xfdf5e6},
    {"olive", 0x808000},
    {"olivedrab", 0x6b8e23},
    {"orange", 0xffa500},
    {"orangered", 0xff4500},
    {"orchid", 0xda70d6},
    {"palegoldenrod", 0xeee8aa},
    {"palegreen", 0x98fb98},
    {"paleturquoise", 0xafeeee},
    {"palevioletred", 0xdb7093},
    {"papayawhip", 0xffefd5},
    {"peachpuff", 0xffdab9},
    {"peru", 0xcd853f},
    {"pink", 0xffc0cb},
    {"plum", 0xdda0dd},
    {"powderblue", 0xb0e0e6},
    {"purple", 0x800080},
    {"red", 0xff0000},
    {"rosybrown", 0xbc8f8f},
    {"royalblue", 0x4169e1},
    {"saddlebrown", 0x8b4513},
    {"salmon", 0xfa8072},
    {"sandybrown", 0xf4a460},
    {"seagreen", 0x2e8b57},
    {"seashell", 0xfff5ee},
    {"sienna", 0xa0522d},
    {"silver", 0xc0c0c0},
    {"skyblue", 0x87ceeb},
    {"slateblue", 0x6a5acd},
    {"slategray", 0x708090},
    {"slategrey", 0x708090},
    {"snow", 0xfffafa},
    {"springgreen", 0x00ff7f},
    {"steelblue", 0x4682b4},
    {"tan", 0xd2b48c},
    {"teal", 0x008080},
    {"thistle", 0xd8bfd8},
    {"tomato", 0xff6347},
    {"turquoise", 0x40e0d0},
    {"violet", 0xee82ee},
    {"wheat", 0xf5deb3},
    {"white", 0xffffff},
    {"whitesmoke", 0xf5f5f5},
    {"yellow", 0xffff00},
    {"yellowgreen", 0x9acd32},
};

std::string lowerTrimmed(std::string_view s) {
  size_t b = 0, e = s.size();
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (b < e && space(s[b])) ++b;
  while (e > b && space(s[e - 1])) --e;
  std::string out(s.substr(b, e - b));
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
bool isHex(char c) {
  return isDigit(c) || (c >= 'a' && c <= 'f');
}

// HTML.pm's dec2hex: two digits at least, more when the value needs them.
std::string dec2hex(unsigned long value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%lx", value < 16 ? "0" : "", value);
  return buf;
}

// Reads "rgb(" numbers at `at`: three decimal numbers, each optionally followed by '%',
// separated by ',' and optional blanks, closed by optional blanks and ')'. `percent` says
// whether each number must carry '%'.
bool readRgb(const std::string& s, size_t at, bool percent, std::array<unsigned long, 3>& out) {
  size_t i = at;
  for (int k = 0; k < 3; ++k) {
    if (k > 0) {
      if (i >= s.size() || s[i] != ',') return false;
      ++i;
      while (i < s.size() &&
             (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f'))
        ++i;
    }
    size_t start = i;
    unsigned long v = 0;
    while (i < s.size() && isDigit(s[i])) {
      v = std::min<unsigned long>(v * 10 + static_cast<unsigned long>(s[i] - '0'), 1000000000UL);
      ++i;
    }
    if (i == start) return false;
    if (percent) {
      if (i >= s.size() || s[i] != '%') return false;
      ++i;
    }
    out[static_cast<size_t>(k)] = v;
  }
  while (i < s.size() &&
         (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f'))
    ++i;
  return i < s.size() && s[i] == ')';
}

// The first "rgb(" in `s` whose numbers read as `percent` asks, converted to "#" + hex.
std::optional<std::string> rgbToHex(const std::string& s, bool percent) {
  for (size_t at = s.find("rgb("); at != std::string::npos; at = s.find("rgb(", at + 1)) {
    std::array<unsigned long, 3> v{};
    if (!readRgb(s, at + 4, percent, v)) continue;
    std::string color(1, '#');
    for (auto x : v)
      color.append(
          dec2hex(percent ? static_cast<unsigned long>(static_cast<double>(x) / 100 * 255) : x));
    return color;
  }
  return std::nullopt;
}

// m/rgb\([\d%, ]*\)/ anywhere in the value.
bool hasRgbCall(const std::string& s) {
  for (size_t at = s.find("rgb("); at != std::string::npos; at = s.find("rgb(", at + 1)) {
    size_t i = at + 4;
    while (i < s.size() && (isDigit(s[i]) || s[i] == '%' || s[i] == ',' || s[i] == ' ')) ++i;
    if (i < s.size() && s[i] == ')') return true;
  }
  return false;
}

}  // namespace

std::string htmlNameToRgb(std::string_view value) {
  std::string color = lowerTrimmed(value);
  auto named =
      std::lower_bound(std::begin(kNamedColors), std::end(kNamedColors), color,
                       [](const NamedColor& c, const std::string& n) { return c.name < n; });
  if (named != std::end(kNamedColors) && named->name == color) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "#%06x", named->rgb);
    return buf;
  }
  const bool hexChars =
      std::all_of(color.begin(), color.end(), [](char c) { return c == '#' || isHex(c); });
  if (!hexChars && !hasRgbCall(color)) return "invalid";
  if (auto converted = rgbToHex(color, true)) color = *converted;
  if (auto converted = rgbToHex(color, false)) color = *converted;
  if (color.empty() || color[0] != '#') return "invalid";
  std::string hex;
  for (char c : color)
    if (isHex(c)) hex += c;
  if (hex.size() > 6) hex.resize(6);
  if (hex.size() > 3 && hex.size() < 6) hex.resize(3);
  if (hex.size() % 3) hex.append(3 - hex.size() % 3, '0');
  std::string out(1, '#');
  for (char c : hex) out.append(hex.size() == 3 ? 2 : 1, c);
  return out;
}

}  // namespace portcullis::content::evals
