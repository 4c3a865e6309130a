#include "gateway/mime/params.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "gateway/mime/charset.h"
#include "gateway/mime/headers.h"

namespace portcullis::mime {

namespace {

struct RawParam {
  std::string name;   // lower-case, without *N / *
  int section = -1;   // RFC 2231 continuation number, -1 for none
  bool extended = false;  // value is charset'lang'%XX-encoded (name*=, or name*N*=)
  std::string value;
};

void skipSpaceAndComments(std::string_view s, size_t& i) {
  while (i < s.size()) {
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
      ++i;
    } else if (s[i] == '(') {  // RFC 5322 comment, possibly nested
      int depth = 0;
      for (; i < s.size(); ++i) {
        if (s[i] == '\\') {
          ++i;
        } else if (s[i] == '(') {
          ++depth;
        } else if (s[i] == ')' && --depth == 0) {
          ++i;
          break;
        }
      }
    } else {
      break;
    }
  }
}

std::string percentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace

ParamValue parseParamValue(std::string_view v) {
  ParamValue out;
  size_t i = 0;
  skipSpaceAndComments(v, i);
  // The value up to the first ';'. RFC 2045 reads it with RFC 822's lexical rules, so comments
  // and white space may stand around the '/': "multipart/(comment)mixed" is multipart/mixed (as
  // Postfix's header_token and mail readers take it). What follows a complete token is junk.
  std::string token;
  bool complete = false;
  while (i < v.size() && v[i] != ';') {
    const char c = v[i];
    if (c == '(' || c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      skipSpaceAndComments(v, i);
      if (!token.empty() && !token.ends_with('/') && (i >= v.size() || v[i] != '/'))
        complete = true;
      continue;
    }
    if (!complete) token += c;
    ++i;
  }
  out.token = lower(token);

  std::vector<RawParam> raw;
  while (i < v.size()) {
    if (v[i] == ';') ++i;
    skipSpaceAndComments(v, i);
    if (i >= v.size()) break;
    size_t nameStart = i;
    while (i < v.size() && v[i] != '=' && v[i] != ';' && v[i] != ' ' && v[i] != '\t' && v[i] != '(')
      ++i;
    std::string name = lower(v.substr(nameStart, i - nameStart));
    skipSpaceAndComments(v, i);
    if (i >= v.size() || v[i] != '=') {
      if (!name.empty()) out.malformed = true;  // a parameter without a value
      while (i < v.size() && v[i] != ';') ++i;
      continue;
    }
    ++i;
    skipSpaceAndComments(v, i);
    std::string value;
    if (i < v.size() && v[i] == '"') {
      ++i;
      bool closed = false;
      for (; i < v.size(); ++i) {
        if (v[i] == '\\' && i + 1 < v.size()) {
          value.push_back(v[++i]);
        } else if (v[i] == '"') {
          closed = true;
          ++i;
          break;
        } else {
          value.push_back(v[i]);
        }
      }
      if (!closed) out.malformed = true;
    } else {
      size_t valueStart = i;
      while (i < v.size() && v[i] != ';' && v[i] != ' ' && v[i] != '\t' && v[i] != '(') ++i;
      value = std::string(v.substr(valueStart, i - valueStart));
    }
    while (i < v.size() && v[i] != ';') ++i;  // tolerate junk after a value

    RawParam p;
    p.value = std::move(value);
    // RFC 2231: name*=..., name*0=..., name*1*=...
    if (!name.empty() && name.back() == '*') {
      p.extended = true;
      name.pop_back();
    }
    if (auto star = name.rfind('*'); star != std::string::npos) {
      std::string_view digits = std::string_view(name).substr(star + 1);
      if (!digits.empty() && digits.size() < 4 &&
          std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); })) {
        p.section = std::stoi(std::string(digits));
        name.resize(star);
      }
    }
    p.name = std::move(name);
    if (!p.name.empty()) raw.push_back(std::move(p));
  }

  // Assemble continuations in section order; extended values carry the charset in section 0.
  std::map<std::string, std::vector<const RawParam*>> byName;
  for (const auto& p : raw) byName[p.name].push_back(&p);
  for (auto& [name, parts] : byName) {
    std::stable_sort(parts.begin(), parts.end(),
                     [](const RawParam* a, const RawParam* b) { return a->section < b->section; });
    const bool any2231 = std::any_of(parts.begin(), parts.end(), [](const RawParam* p) { return p->section >= 0 || p->extended; });
    if (!any2231) {
      bool bad = false;
      out.params[name] = decodeEncodedWords(parts.front()->value, &bad);  // RFC 2047 in filenames: common
      if (bad) out.malformed = true;
      continue;
    }
    std::string charset;
    std::string bytes;
    for (const RawParam* p : parts) {
      if (p->section < 0 && !p->extended) continue;  // a plain duplicate next to RFC 2231 ones
      std::string_view val = p->value;
      if (p->extended && (p->section <= 0)) {
        auto q1 = val.find('\'');
        auto q2 = q1 == std::string_view::npos ? q1 : val.find('\'', q1 + 1);
        if (q2 != std::string_view::npos) {
          charset = std::string(val.substr(0, q1));
          val = val.substr(q2 + 1);
        } else {
          out.malformed = true;
        }
      }
      bytes += p->extended ? percentDecode(val) : std::string(val);
    }
    out.params[name] = toUtf8(bytes, charset.empty() ? "us-ascii" : charset).utf8;
  }
  return out;
}

}  // namespace portcullis::mime
