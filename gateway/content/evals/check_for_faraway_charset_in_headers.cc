// check_for_faraway_charset_in_headers (HeaderEval.pm): an encoded word in From or Subject is
// in a charset none of ok_locales reads (CHARSET_FARAWAY_HEADER). With ok_locales "all" (the
// default) nothing is far away.
#include <cctype>
#include <string>
#include <vector>

#include "gateway/content/evals/header_evals.h"
#include "gateway/content/evals/pcre_pattern.h"

namespace portcullis::content::evals {
namespace {

struct LocaleCharsets {
  std::string_view locale, charsets;
};

// Locales.pm %charsets_for_locale (keys past two letters cannot be reached there either).
constexpr std::string_view kCyrillic =
    "KOI8R KOI8U KOI8T ISOIR111 CP1251 GEORGIANPS CP1251 PT154 CP866";
constexpr LocaleCharsets kCharsetsForLocale[] = {
    {"ja",
     "EUCJP JISX020119760 JISX020819830 JISX020819900 JISX020819970 JISX021219900 JISX021320001 "
     "JISX021320002 SHIFT_JIS SHIFTJIS ISO2022JP SJIS JIS7 JISX0201 JISX0208 JISX0212"},
    {"ko", "EUCKR KSC56011987"},
    {"ru", kCyrillic},
    {"ka", kCyrillic},
    {"tg", kCyrillic},
    {"be", kCyrillic},
    {"uk", kCyrillic},
    {"bg", kCyrillic},
    {"th", "TIS620"},
    {"zh", "GB1988 GB2312 GB231219800 GB18030 GBK BIG5HKSCS BIG5 EUCTW ISO2022CN"},
};

// Locales::is_charset_ok_for_locales.
bool charsetOkForLocales(std::string_view charset, const std::vector<std::string>& locales) {
  std::string cs;
  for (char c : charset) {
    char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if ((u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9')) cs += u;
  }
  while (cs.starts_with("3D")) cs.erase(0, 2);  // broken by quoted-printable (s/^3D//g)
  if (cs == "USASCII" || cs == "ASCII" || cs == "IBM852" || cs == "XUNKNOWN" || cs == "ISO")
    return true;
  for (std::string_view prefix :
       {"ISO8859", "ISO10646", "UTF", "UCS", "CP125", "WINDOWS", "UNICODE11UTF7", "UNICODE11UTF8"})
    if (cs.starts_with(prefix)) return true;
  for (std::string locale : locales) {
    if (locale == "C") locale = "en";
    if (locale.size() >= 2 && std::islower(static_cast<unsigned char>(locale[0])) &&
        std::islower(static_cast<unsigned char>(locale[1])))
      locale = locale.substr(0, 2);
    for (const LocaleCharsets& lc : kCharsetsForLocale) {
      if (lc.locale != locale) continue;
      // /(?:^| )\Qcs\E(?:$| )/
      std::string padded = " " + std::string(lc.charsets) + " ";
      if (padded.find(" " + cs + " ") != std::string::npos) return true;
    }
  }
  return false;
}

}  // namespace

int checkForFarawayCharsetInHeaders(const EvalContext& ctx, const EvalArgs& /*args*/) {
  // A single-valued setting: the last line read wins.
  std::vector<std::string> locales;
  std::string value(ctx.settings().last("ok_locales", "all"));
  for (size_t at = 0; at < value.size();) {
    size_t end = value.find_first_of(" \t", at);
    if (end == std::string::npos) end = value.size();
    if (end > at) locales.push_back(value.substr(at, end - at));
    at = end + 1;
  }
  for (const std::string& l : locales)
    if (l == "all") return 0;
  static const auto encodedWord = PcrePattern::compile(R"(=\?(.+?)\?.\?.*?\?=)", false);
  for (const char* header : {"From:raw", "Subject:raw"}) {
    for (const std::string& value : ctx.getAll(header)) {
      for (size_t at = 0; auto m = encodedWord->find(value, at);) {
        if (!charsetOkForLocales(m->group1, locales)) return 1;
        at = m->end > at ? m->end : at + 1;
      }
    }
  }
  return 0;
}

}  // namespace portcullis::content::evals
