#include "gateway/auth/auth_results.h"

namespace portcullis::auth {

namespace {

std::string lowerAscii(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return out;
}

bool isTokenChar(char c) {
  // RFC 2045 token: any CHAR except SPACE, CTLs, and tspecials.
  return c > 0x20 && c < 0x7F &&
         std::string_view("()<>@,;:\\\"/[]?=").find(c) == std::string_view::npos;
}

// A property value: a token, an address-like pvalue ([local-part] "@" domain), or quoted.
std::string pvalue(const std::string& v) {
  bool token = !v.empty();
  for (char c : v)
    if (!isTokenChar(c)) token = false;
  if (token) return v;
  auto at = v.find('@');
  if (at != std::string::npos && v.find('@', at + 1) == std::string::npos) {
    bool ok = true;
    for (char c : v)
      if (c != '@' && !isTokenChar(c)) ok = false;
    if (ok) return v;
  }
  std::string q = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') q += '\\';
    if (c >= 0x20 && c < 0x7F) q += c;
  }
  return q + "\"";
}

std::string commentText(const std::string& c) {
  std::string out;
  for (char ch : c)
    if (ch >= 0x20 && ch < 0x7F && ch != '(' && ch != ')' && ch != '\\') out += ch;
  return out;
}

}  // namespace

std::string authResultsValue(const std::string& authservId,
                             const std::vector<AuthResultEntry>& entries) {
  std::string out = authservId;
  if (entries.empty()) return out + "; none";
  for (const auto& e : entries) {
    out += "; " + e.method + "=" + e.result;
    if (!e.comment.empty()) out += " (" + commentText(e.comment) + ")";
    for (const auto& [k, v] : e.properties) out += " " + k + "=" + pvalue(v);
  }
  return out;
}

std::string authservIdOf(std::string_view value) {
  size_t i = 0;
  auto skipCfws = [&] {
    while (i < value.size()) {
      char c = value[i];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        ++i;
      } else if (c == '(') {
        int depth = 0;
        for (; i < value.size(); ++i) {
          if (value[i] == '\\')
            ++i;
          else if (value[i] == '(')
            ++depth;
          else if (value[i] == ')' && --depth == 0) {
            ++i;
            break;
          }
        }
      } else {
        break;
      }
    }
  };
  skipCfws();
  size_t start = i;
  while (i < value.size() && value[i] != ';' && value[i] != ' ' && value[i] != '\t' &&
         value[i] != '(' && value[i] != '\r' && value[i] != '\n')
    ++i;
  return lowerAscii(value.substr(start, i - start));
}

std::string removeClaimedAuthResults(std::string_view message, const std::string& authservId,
                                     int* removed) {
  *removed = 0;
  const std::string ours = lowerAscii(authservId);
  std::string out;
  out.reserve(message.size());
  size_t pos = 0;
  while (pos < message.size()) {
    size_t eol = message.find("\r\n", pos);
    size_t lineEnd = eol == std::string_view::npos ? message.size() : eol + 2;
    std::string_view line = message.substr(pos, lineEnd - pos);
    if (line == "\r\n") {  // end of the header section: the body is copied as it is
      out.append(message.substr(pos));
      return out;
    }
    // One field: this line and its continuation lines.
    size_t fieldEnd = lineEnd;
    while (fieldEnd < message.size() && (message[fieldEnd] == ' ' || message[fieldEnd] == '\t')) {
      size_t e = message.find("\r\n", fieldEnd);
      fieldEnd = e == std::string_view::npos ? message.size() : e + 2;
    }
    std::string_view field = message.substr(pos, fieldEnd - pos);
    auto colon = field.find(':');
    bool drop = false;
    if (colon != std::string_view::npos) {
      std::string name = lowerAscii(field.substr(0, colon));
      while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.pop_back();
      if (name == "authentication-results" && authservIdOf(field.substr(colon + 1)) == ours)
        drop = true;
    }
    if (drop)
      ++*removed;
    else
      out.append(field);
    pos = fieldEnd;
  }
  return out;
}

}  // namespace portcullis::auth
