// html_charset_faraway(): a part's <meta> charsets are mostly not ones the ok_locales
// setting accepts (Locales.pm's is_charset_ok_for_locales). With ok_locales "all", SpamAssassin's
// default, it never hits. SpamAssassin also adds the process's LANG to the locales; a gateway's
// environment says nothing about its users, so only the setting counts here.
#include <algorithm>

#include "gateway/content/evals/html_evals.h"
#include "gateway/content/evals/html_facts.h"

namespace portcullis::content::evals {

namespace {

std::string_view charsetsForLocale(std::string_view locale) {
  static constexpr std::string_view kCyrillic =
      "KOI8R KOI8U KOI8T ISOIR111 CP1251 GEORGIANPS CP1251 PT154 CP866";
  if (locale == "ja")
    return "EUCJP JISX020119760 JISX020819830 JISX020819900 JISX020819970 JISX021219900 "
           "JISX021320001 JISX021320002 SHIFT_JIS SHIFTJIS ISO2022JP SJIS JIS7 JISX0201 JISX0208 "
           "JISX0212";
  if (locale == "ko") return "EUCKR KSC56011987";
  if (locale == "ru" || locale == "ka" || locale == "tg" || locale == "be" || locale == "uk" ||
      locale == "bg")
    return kCyrillic;
  if (locale == "th") return "TIS620";
  if (locale == "zh") return "GB1988 GB2312 GB231219800 GB18030 GBK BIG5HKSCS BIG5 EUCTW ISO2022CN";
  return {};
}

bool charsetOk(std::string_view declared, const std::vector<std::string>& locales) {
  std::string cs;
  for (char c : declared) {
    if (c == ':') break;  // several charsets: the first
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) cs += c;
  }
  while (cs.compare(0, 2, "3D") == 0) cs.erase(0, 2);  // broken by quoted-printable
  auto starts = [&cs](std::string_view p) { return cs.compare(0, p.size(), p) == 0; };
  if (cs == "USASCII" || cs == "ASCII" || starts("ISO8859") || starts("ISO10646") ||
      starts("UTF") || starts("UCS") || starts("CP125") || starts("WINDOWS") || cs == "IBM852" ||
      starts("UNICODE11UTF7") || starts("UNICODE11UTF8") || cs == "XUNKNOWN" || cs == "ISO")
    return true;
  for (std::string locale : locales) {
    if (locale == "C") locale = "en";
    if (locale.size() >= 2 && locale[0] >= 'a' && locale[0] <= 'z' && locale[1] >= 'a' &&
        locale[1] <= 'z')
      locale.resize(2);
    std::string_view list = charsetsForLocale(locale);
    size_t at = 0;
    while (at < list.size()) {
      size_t end = list.find(' ', at);
      if (end == std::string_view::npos) end = list.size();
      if (list.substr(at, end - at) == cs) return true;
      at = end + 1;
    }
  }
  return false;
}

}  // namespace

int htmlCharsetFaraway(const EvalContext& context, const std::vector<std::string>& okLocales) {
  if (std::find(okLocales.begin(), okLocales.end(), "all") != okLocales.end()) return 0;
  for (const auto& part : context.facts<HtmlFacts>().parts()) {
    if (!part.charsets) continue;
    int okay = 0, bad = 0;
    std::string_view all = *part.charsets;
    size_t at = 0;
    while (at < all.size()) {
      size_t end = all.find_first_of(" \t\n", at);
      if (end == std::string_view::npos) end = all.size();
      if (end > at) (charsetOk(all.substr(at, end - at), okLocales) ? okay : bad)++;
      at = end + 1;
    }
    if (bad && bad >= okay) return 1;
  }
  return 0;
}

}  // namespace portcullis::content::evals
