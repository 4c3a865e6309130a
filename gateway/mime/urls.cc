#include "gateway/mime/urls.h"

#include <cctype>

#include "gateway/mime/headers.h"

namespace portcullis::mime {

namespace {
bool urlChar(unsigned char c) {
  if (c >= 0x80) return true;  // IRIs
  if (std::isalnum(c)) return true;
  switch (c) {
    case '-': case '.': case '_': case '~': case ':': case '/': case '?': case '#': case '[':
    case ']': case '@': case '!': case '$': case '&': case '\'': case '*': case '+': case ',':
    case ';': case '=': case '%':
      return true;
    default:
      return false;
  }
}

bool startsWithI(std::string_view s, size_t pos, std::string_view prefix) {
  return s.size() - pos >= prefix.size() && iequals(s.substr(pos, prefix.size()), prefix);
}
}  // namespace

std::vector<std::string> extractTextUrls(std::string_view t) {
  std::vector<std::string> out;
  for (size_t i = 0; i < t.size(); ++i) {
    if (i > 0 && (std::isalnum(static_cast<unsigned char>(t[i - 1])) || t[i - 1] == '.')) continue;
    size_t prefix = 0;
    for (std::string_view scheme : {"http://", "https://", "ftp://", "mailto:", "www."}) {
      if (startsWithI(t, i, scheme)) {
        prefix = scheme.size();
        break;
      }
    }
    if (prefix == 0) continue;
    size_t end = i + prefix;
    while (end < t.size() && urlChar(static_cast<unsigned char>(t[end]))) ++end;
    // Trailing punctuation belongs to the sentence, not the URL.
    while (end > i + prefix && std::string_view(".,;:!?')]").find(t[end - 1]) != std::string_view::npos) --end;
    if (end > i + prefix) out.emplace_back(t.substr(i, end - i));
    i = end;
  }
  return out;
}

std::string urlHost(std::string_view url) {
  auto scheme = url.find("://");
  std::string_view rest;
  if (scheme != std::string_view::npos) {
    rest = url.substr(scheme + 3);
  } else if (startsWithI(url, 0, "mailto:")) {
    rest = url.substr(7);
    auto at = rest.find('@');
    if (at == std::string_view::npos) return "";
    rest = rest.substr(at + 1);
  } else {
    rest = url;  // "www.example.com/..."
  }
  auto stop = rest.find_first_of("/?#");
  rest = rest.substr(0, stop);
  if (auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (!rest.empty() && rest.front() == '[') {
    auto close = rest.find(']');
    return lower(rest.substr(0, close == std::string_view::npos ? rest.size() : close + 1));
  }
  if (auto colon = rest.find(':'); colon != std::string_view::npos) rest = rest.substr(0, colon);
  while (!rest.empty() && rest.back() == '.') rest.remove_suffix(1);
  return lower(rest);
}

}  // namespace portcullis::mime
