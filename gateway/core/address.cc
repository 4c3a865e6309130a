#include "gateway/core/address.h"

#include <algorithm>
#include <cctype>

namespace portcullis::core {

namespace {
bool isAtext(unsigned char c) {
  if (std::isalnum(c) || c >= 0x80) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-':
    case '/': case '=': case '?': case '^': case '_': case '`': case '{': case '|': case '}':
    case '~':
      return true;
    default:
      return false;
  }
}

bool isDotAtom(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  char prev = 0;
  for (unsigned char c : s) {
    if (c == '.') {
      if (prev == '.') return false;
    } else if (!isAtext(c)) {
      return false;
    }
    prev = static_cast<char>(c);
  }
  return true;
}
}  // namespace

std::string Address::str() const {
  if (null) return "";
  std::string out;
  if (isDotAtom(local)) {
    out = local;
  } else {
    out.push_back('"');
    for (char c : local) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out.push_back('"');
  }
  if (!domain.empty()) {
    out.push_back('@');
    out += domain;
  }
  return out;
}

std::string Address::domainLower() const {
  std::string d = domain;
  std::transform(d.begin(), d.end(), d.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return d;
}

}  // namespace portcullis::core
