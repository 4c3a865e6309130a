#include "gateway/content/evals/rfc822_date.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

namespace portcullis::content::evals {
namespace {

using Tokens = std::vector<std::string>;

bool isDigits(std::string_view s, size_t min = 1, size_t max = std::string_view::npos) {
  if (s.size() < min || s.size() > max) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// Months are matched caselessly; 1..12, 0 when not a month.
int monthNumber(std::string_view s) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  if (s.size() != 3) return 0;
  std::string lower;
  for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (size_t i = 0; i < kMonths.size(); ++i)
    if (lower == kMonths[i]) return static_cast<int>(i) + 1;
  return 0;
}

// Digits as a number, saturated (a day of "99999999999" is just too high).
int64_t number(std::string_view digits) {
  int64_t n = 0;
  for (char c : digits) {
    n = n * 10 + (c - '0');
    if (n > 1'000'000'000) return 1'000'000'000;
  }
  return n;
}

bool isTime(std::string_view t) {
  // (\d?\d):(\d\d)(:(\d\d))?
  size_t colon = t.find(':');
  if (colon == std::string_view::npos || !isDigits(t.substr(0, colon), 1, 2)) return false;
  std::string_view rest = t.substr(colon + 1);
  if (rest.size() == 2) return isDigits(rest);
  return rest.size() == 5 && isDigits(rest.substr(0, 2)) && rest[2] == ':' &&
         isDigits(rest.substr(3));
}

struct Zone {
  std::string_view name;
  int minutes;
};

// SpamAssassin's %TZ.
constexpr Zone kZones[] = {
    {"UT", 0},      {"UTC", 0},    {"NDT", -150}, {"AST", -240},  {"ADT", -180},  {"NST", -210},
    {"EST", -300},  {"EDT", -240}, {"CST", -360}, {"CDT", -300},  {"MST", -420},  {"MDT", -360},
    {"PST", -480},  {"PDT", -420}, {"HST", -600}, {"AKST", -540}, {"AKDT", -480}, {"HADT", -540},
    {"HAST", -600}, {"GMT", 0},    {"BST", 60},   {"IST", 60},    {"WET", 0},     {"WEST", 60},
    {"CET", 60},    {"CEST", 120}, {"EET", 120},  {"EEST", 180},  {"MSK", 180},   {"MSD", 240},
    {"MET", 60},    {"MEZ", 60},   {"MEST", 120}, {"MESZ", 120},  {"BRST", -120}, {"BRT", -180},
    {"AEST", 600},  {"AEDT", 660}, {"ACST", 570}, {"ACDT", 630},  {"AWST", 480},  {"NZST", 720},
    {"NZDT", 780},  {"JST", 540},  {"KST", 540},  {"HKT", 480},   {"SGT", 480},   {"PHT", 480},
    {"IDT", 180},
};

bool isWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}
bool isUpper(char c) {
  return c >= 'A' && c <= 'Z';
}

// The first /\b([A-Z]{2,4}(?:-DST)?)\b/ in `text` (leftmost, longest first as Perl tries it).
std::optional<std::string> firstZoneWord(const std::string& text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (!isUpper(text[i]) || (i > 0 && isWordChar(text[i - 1]))) continue;
    for (size_t len = 4; len >= 2; --len) {
      if (i + len > text.size()) continue;
      bool upper = true;
      for (size_t k = 0; k < len; ++k) upper &= isUpper(text[i + k]);
      if (!upper) continue;
      size_t end = i + len;
      if (text.compare(end, 4, "-DST") == 0 &&
          (end + 4 == text.size() || !isWordChar(text[end + 4])))
        return text.substr(i, len + 4);
      if (end == text.size() || !isWordChar(text[end])) return text.substr(i, len);
    }
  }
  return std::nullopt;
}

std::string join(const Tokens& tokens) {
  std::string out = " ";
  for (const auto& t : tokens) out += t + " ";
  return out;
}

bool isLeap(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

// Days from 1970-01-01 to the civil date (Howard Hinnant's algorithm).
int64_t daysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace

std::optional<int64_t> parseRfc822Date(std::string_view date) {
  // s/, */ /g; s/\s+/ /g: the text becomes blank-separated tokens, which every pattern
  // below (bar the zone name) matches whole.
  Tokens tokens;
  std::string current;
  for (char c : date) {
    bool blank = c == ',' || std::isspace(static_cast<unsigned char>(c));
    if (blank) {
      if (!current.empty()) tokens.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) tokens.push_back(std::move(current));

  int64_t day = 0, month = 0, year = 0;
  std::string yearText;
  bool found = false;
  // " dd Mon yyyy ", then " Mon dd hh:mm:ss yyyy " (ctime), then " dd Mon yy ".
  for (size_t i = 0; !found && i + 2 < tokens.size(); ++i) {
    if (isDigits(tokens[i]) && monthNumber(tokens[i + 1]) && isDigits(tokens[i + 2], 4, 4)) {
      day = number(tokens[i]), month = monthNumber(tokens[i + 1]), yearText = tokens[i + 2];
      tokens.erase(tokens.begin() + i, tokens.begin() + i + 3);
      found = true;
    }
  }
  for (size_t i = 0; !found && i + 3 < tokens.size(); ++i) {
    const std::string& t = tokens[i + 2];
    size_t c1 = t.find(':');
    size_t c2 = c1 == std::string::npos ? c1 : t.find(':', c1 + 1);
    bool clock = c2 != std::string::npos && t.find(':', c2 + 1) == std::string::npos &&
                 isDigits(t.substr(0, c1)) && isDigits(t.substr(c1 + 1, c2 - c1 - 1)) &&
                 isDigits(t.substr(c2 + 1));
    if (monthNumber(tokens[i]) && isDigits(tokens[i + 1]) && clock &&
        isDigits(tokens[i + 3], 4, 4)) {
      month = monthNumber(tokens[i]), day = number(tokens[i + 1]), yearText = tokens[i + 3];
      tokens.erase(tokens.begin() + i, tokens.begin() + i + 4);
      found = true;
    }
  }
  for (size_t i = 0; !found && i + 2 < tokens.size(); ++i) {
    if (isDigits(tokens[i]) && monthNumber(tokens[i + 1]) && isDigits(tokens[i + 2], 2, 3)) {
      day = number(tokens[i]), month = monthNumber(tokens[i + 1]), yearText = tokens[i + 2];
      tokens.erase(tokens.begin() + i, tokens.begin() + i + 3);
      found = true;
    }
  }
  if (!found) return std::nullopt;

  year = number(yearText);
  // RFC 2822's two- and three-digit years.
  if (yearText.size() == 2 && year < 50)
    year += 2000;
  else if (yearText.size() != 4)
    year += 1900;

  int64_t hour = 0, minute = 0, second = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (!isTime(tokens[i])) continue;
    const std::string& t = tokens[i];
    size_t colon = t.find(':');
    hour = number(t.substr(0, colon));
    minute = number(t.substr(colon + 1, 2));
    if (t.size() > colon + 3) second = number(t.substr(colon + 4));
    tokens.erase(tokens.begin() + i);
    break;
  }

  int64_t zoneMinutes = 0;  // every unknown zone counts as -0000
  bool numericZone = false;
  for (const auto& t : tokens) {
    if (t.size() == 5 && (t[0] == '+' || t[0] == '-') && isDigits(t.substr(1))) {
      int64_t hhmm = number(t.substr(1));
      zoneMinutes = (hhmm / 100) * 60 + hhmm % 100;
      if (t[0] == '-') zoneMinutes = -zoneMinutes;
      numericZone = true;
      break;
    }
  }
  if (!numericZone) {
    if (auto name = firstZoneWord(join(tokens))) {
      for (const Zone& z : kZones)
        if (z.name == *name) {
          zoneMinutes = z.minutes;
          break;
        }
    }
  }

  // Out-of-range fields are fudged to a usable date, as SpamAssassin does.
  second = std::min<int64_t>(second, 59);
  minute = std::min<int64_t>(minute, 59);
  hour = std::min<int64_t>(hour, 23);
  int64_t maxDay = 31;
  if (month == 4 || month == 6 || month == 9 || month == 11)
    maxDay = 30;
  else if (month == 2)
    maxDay = isLeap(year) ? 29 : 28;
  if (day > maxDay) {
    day = 1;
    if (++month > 12) month = 1, ++year;
  }
  year = std::clamp<int64_t>(year, 1970, 2037);
  // Time::Local refuses day 0.
  if (day < 1) return std::nullopt;

  int64_t time = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  int64_t offset = zoneMinutes * 60;
  // A "+" zone early on 1 January 1970 would go before the epoch: SpamAssassin stops at 0.
  if (offset > 0 && time < offset) return 0;
  return time - offset;
}

}  // namespace portcullis::content::evals
