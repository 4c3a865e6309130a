#include "gateway/content/evals/mime_facts.h"

#include <algorithm>
#include <regex>

#include "gateway/content/evals/eval_context.h"

namespace portcullis::content::evals {
namespace {

std::string lowerCopy(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// The quoted-printable escapes SpamAssassin counts as needless encoding of printable ASCII.
int countNeedlessQpEscapes(std::string_view line) {
  // m/=(?:09|3[0-9ABCEF]|[2456][0-9A-F]|7[0-9A-E])/g, by hand: it runs on every encoded line.
  auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); };
  int count = 0;
  for (size_t i = 0; i + 2 < line.size(); ++i) {
    if (line[i] != '=') continue;
    const char a = line[i + 1], b = line[i + 2];
    const bool needless = (a == '0' && b == '9') || (a == '3' && hex(b) && b != 'D') ||
                          ((a == '2' || a == '4' || a == '5' || a == '6') && hex(b)) ||
                          (a == '7' && hex(b) && b != 'F');
    if (needless) {
      ++count;
      i += 2;
    }
  }
  return count;
}

// m/((?:=09|=20)+)\s*$/: how many escaped blanks end the line.
int trailingEscapedBlanks(std::string_view line) {
  while (!line.empty() &&
         std::string_view(" \t\n\r\f\v").find(line.back()) != std::string_view::npos)
    line.remove_suffix(1);
  int count = 0;
  while (line.size() >= 3 && (line.ends_with("=09") || line.ends_with("=20"))) {
    line.remove_suffix(3);
    ++count;
  }
  return count;
}

// s/&#x[0-9A-F]{4};//g: returns the number removed and shortens `line` by them.
int removeUnicodeEntities(std::string& line) {
  // s/&#x[0-9A-F]{4};//g, by hand: it runs on every text line.
  auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); };
  if (line.find("&#x") == std::string::npos) return 0;
  int count = 0;
  std::string out;
  out.reserve(line.size());
  for (size_t i = 0; i < line.size();) {
    if (i + 8 <= line.size() && line.compare(i, 3, "&#x") == 0 && hex(line[i + 3]) &&
        hex(line[i + 4]) && hex(line[i + 5]) && hex(line[i + 6]) && line[i + 7] == ';') {
      ++count;
      i += 8;
    } else {
      out += line[i++];
    }
  }
  line = std::move(out);
  return count;
}

bool isAsciiCharsetName(std::string_view charset) {
  for (std::string_view alias :
       {"us-ascii", "ansi_x3.4-1968", "iso-ir-6", "ansi_x3.4-1986", "iso_646.irv:1991", "ascii",
        "iso646-us", "us", "ibm367", "cp367", "csascii"})
    if (contains(charset, alias)) return true;
  return false;
}

}  // namespace

bool isCharsetOkForLocales(std::string_view charset, const std::vector<std::string>& locales) {
  std::string cs;
  for (char c : charset) {
    char u = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    if ((u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9')) cs += u;
  }
  while (cs.starts_with("3D")) cs.erase(0, 2);  // broken by quoted-printable
  if (cs == "USASCII" || cs == "ASCII" || cs == "IBM852" || cs == "XUNKNOWN" || cs == "ISO")
    return true;
  for (std::string_view prefix :
       {"ISO8859", "ISO10646", "UTF", "UCS", "CP125", "WINDOWS", "UNICODE11UTF7", "UNICODE11UTF8"})
    if (cs.starts_with(prefix)) return true;
  static const std::vector<std::pair<std::string_view, std::string_view>> forLocale = {
      {"ja",
       "EUCJP JISX020119760 JISX020819830 JISX020819900 JISX020819970 JISX021219900 "
       "JISX021320001 JISX021320002 SHIFT_JIS SHIFTJIS ISO2022JP SJIS JIS7 JISX0201 JISX0208 "
       "JISX0212"},
      {"ko", "EUCKR KSC56011987"},
      {"ru", "KOI8R KOI8U KOI8T ISOIR111 CP1251 GEORGIANPS CP1251 PT154 CP866"},
      {"ka", "KOI8R KOI8U KOI8T ISOIR111 CP1251 GEORGIANPS CP1251 PT154 CP866"},
      {"tg", "KOI8R KOI8U KOI8T ISOIR111 CP1251 GEORGIANPS CP1251 PT154 CP866"},
      {"be", "KOI8R KOI8U KOI8T ISOIR111 CP1251 GEORGIANPS CP1251 PT154 CP866"},
      {"uk", "KOI8R KOI8U KOI8T ISOIR111 CP1251 GEORGIANPS CP1251 PT154 CP866"},
      {"bg", "KOI8R KOI8U KOI8T ISOIR111 CP1251 GEORGIANPS CP1251 PT154 CP866"},
      {"th", "TIS620"},
      {"zh", "GB1988 GB2312 GB231219800 GB18030 GBK BIG5HKSCS BIG5 EUCTW ISO2022CN"},
  };
  for (std::string locale : locales) {
    if (locale == "C") locale = "en";
    if (locale.size() >= 2 && locale[0] >= 'a' && locale[0] <= 'z' && locale[1] >= 'a' &&
        locale[1] <= 'z')
      locale.resize(2);
    for (const auto& [name, charsets] : forLocale) {
      if (name != locale) continue;
      std::string spaced = " " + std::string(charsets) + " ";
      if (!cs.empty() && contains(spaced, " " + cs + " ")) return true;
    }
  }
  return false;
}

std::vector<std::string> okLocales(const EvalSettings& settings) {
  // ok_locales is a single-valued setting: the last line wins; SpamAssassin's default is "all".
  std::string_view value = settings.last("ok_locales", "all");
  std::vector<std::string> words;
  size_t i = 0;
  while (i < value.size()) {
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
    size_t start = i;
    while (i < value.size() && value[i] != ' ' && value[i] != '\t') ++i;
    if (i > start) words.emplace_back(value.substr(start, i - start));
  }
  return words;
}

MimeFacts::MimeFacts(const EvalContext& ctx) : tree(parseSaMimeTree(ctx.raw())) {
  const std::vector<std::string> locales = okLocales(ctx.settings());
  const bool allLocales = std::find(locales.begin(), locales.end(), "all") != locales.end();
  static const std::regex badIso("iso-\\S+-\\S+\\b", std::regex::icase);
  static const std::regex goodIso("iso-(?:8859-\\d{1,2}|2022-(?:jp|kr))\\b", std::regex::icase);
  static const std::regex hasLetter("[a-z]", std::regex::icase);

  int qpBytes = 0;
  int qpEscapes = 0;
  long normalChars = 0;
  long unicodeChars = 0;
  struct LeafBytes {
    std::string type;
    bool counted;  // not an attachment
    long bytes;
  };
  std::vector<LeafBytes> leaves;

  auto all = tree.findParts([](const std::string&) { return true; }, false);
  for (const SaPart* p : all) {
    auto typeValues = p->headerAll("content-type");
    SaContentType ct =
        parseSaContentType(typeValues.empty() ? std::string() : typeValues.back() + "\n");
    if (ct.type == "multipart/alternative") multipartAlternative = true;
    const std::string cte = lowerCopy(p->header("content-transfer-encoding"));
    const std::string cd = lowerCopy(p->header("content-disposition"));
    const bool hasCharset = ct.hasCharset && !ct.charset.empty() && ct.charset != "0";
    const std::string charset = hasCharset ? lowerCopy(ct.charset) : ct.charset;

    // _check_mime_header
    if (ct.type == "text/html")
      ++bodyHtmlCount;
    else if (ct.type.starts_with("text"))
      ++bodyTextCount;
    if (contains(cte, "base64"))
      ++base64Count;
    else if (contains(cte, "quoted-printable"))
      ++qpCount;
    if (contains(cd, "attachment")) ++attachment;
    if (ct.type.starts_with("text") && contains(cte, "base64") &&
        (!hasCharset || isAsciiCharsetName(charset)) &&
        !(cd.starts_with("attachment") || cd.starts_with("inline")))
      base64EncodedText = true;
    if (std::regex_search(charset, badIso) && !std::regex_search(charset, goodIso))
      badIsoCharset = true;
    if (std::regex_search(charset, hasLetter)) {
      charsets.push_back(charset);
      if (!farawayCharset && !allLocales && !isCharsetOkForLocales(charset, locales))
        farawayCharset = true;
    }

    if (!p->leaf) continue;
    const bool notAttachment = !contains(cd, "attachment");
    leaves.push_back({ct.type, notAttachment, 0});
    for (const std::string& line : p->raw) {
      if (multipartAlternative && notAttachment &&
          (ct.type == "text/plain" || ct.type == "text/html"))
        leaves.back().bytes += static_cast<long>(line.size());
      if (cte == "quoted-printable" && !line.starts_with("SPAM: ")) {
        if (line.size() > 78 + 1) qpLongLine = true;
        qpBytes += static_cast<int>(line.size());
        if (contains(line, "=")) {
          if (int qp = countNeedlessQpEscapes(line)) qpEscapes += qp - trailingEscapedBlanks(line);
        }
      }
      if (ct.type == "text/plain" && (!ct.hasCharset || charset == "us-ascii")) {
        if (std::any_of(line.begin(), line.end(), [](char c) {
              auto u = static_cast<unsigned char>(c);
              return u == 0 || u == 0x0d || u >= 0x80;
            }))
          ++asciiTextIllegal;
      }
      if (ct.type == "text/plain" && (cte.empty() || cte == "7bit" || cte == "8bit")) {
        std::string text = line;
        unicodeChars += removeUnicodeEntities(text);
        normalChars += static_cast<long>(text.size());
      }
    }
  }
  if (qpBytes) {
    qpRatio = static_cast<double>(qpEscapes) / qpBytes;
    qpCount = qpEscapes;
  }
  if (normalChars) textUnicodeRatio = static_cast<double>(unicodeChars) / normalChars;
  if (multipartAlternative) {
    const LeafBytes* text = nullptr;
    const LeafBytes* html = nullptr;
    for (auto it = leaves.rbegin(); it != leaves.rend(); ++it) {
      if (!it->counted) continue;
      if (!html && it->type == "text/html")
        html = &*it;
      else if (!text && it->type == "text/plain")
        text = &*it;
      if (html && text) break;
    }
    if (text && html && html->bytes > 0)
      multipartRatio = static_cast<double>(text->bytes) / static_cast<double>(html->bytes);
  }
  missingBoundary = tree.missingBoundary;
}

bool MimeFacts::flag(std::string_view name) const {
  if (name == "mime_base64_count") return base64Count > 0;
  if (name == "mime_base64_encoded_text") return base64EncodedText;
  if (name == "mime_body_html_count") return bodyHtmlCount > 0;
  if (name == "mime_body_text_count") return bodyTextCount > 0;
  if (name == "mime_faraway_charset") return farawayCharset;
  if (name == "mime_missing_boundary") return missingBoundary;
  if (name == "mime_multipart_alternative") return multipartAlternative;
  if (name == "mime_multipart_ratio") return multipartRatio != 0;
  if (name == "mime_qp_count") return qpCount > 0;
  if (name == "mime_qp_long_line") return qpLongLine;
  if (name == "mime_qp_ratio") return qpRatio != 0;
  if (name == "mime_ascii_text_illegal") return asciiTextIllegal > 0;
  if (name == "mime_text_unicode_ratio") return textUnicodeRatio != 0;
  if (name == "mime_attachment") return attachment > 0;
  if (name == "mime_bad_iso_charset") return badIsoCharset;
  // Anything else (mimepart_limit_exceeded among them: SpamAssassin 4.0 sets it on the
  // message, but check_for_mime reads the scan's hash) is never set.
  return false;
}

}  // namespace portcullis::content::evals
