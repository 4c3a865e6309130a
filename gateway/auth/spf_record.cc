#include "gateway/auth/spf_record.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <vector>

#include "gateway/mime/headers.h"

namespace portcullis::auth {

namespace {

using mime::iequals;
using mime::lower;

bool isAlpha(char c) {
  return std::isalpha(static_cast<unsigned char>(c));
}
bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
bool isAlnum(char c) {
  return isAlpha(c) || isDigit(c);
}

// macro-string (RFC 7208 7.1). `explanation`: the c, r and t letters are allowed too.
bool validMacroString(std::string_view s, bool explanation, std::string* why) {
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '%') {
      if (i + 1 >= s.size()) return *why = "'%' at the end", false;
      char n = s[i + 1];
      if (n == '%' || n == '_' || n == '-') {
        ++i;
        continue;
      }
      if (n != '{') return *why = std::string("'%") + n + "' is not a macro", false;
      size_t close = s.find('}', i + 2);
      if (close == std::string_view::npos) return *why = "unterminated macro", false;
      std::string_view body = s.substr(i + 2, close - i - 2);
      if (body.empty()) return *why = "empty macro", false;
      char letter = static_cast<char>(std::tolower(static_cast<unsigned char>(body[0])));
      const std::string_view letters = explanation ? "slodiphcrtv" : "slodiphv";
      if (letters.find(letter) == std::string_view::npos)
        return *why = std::string("macro letter '") + body[0] + "' not allowed here", false;
      size_t p = 1;
      while (p < body.size() && isDigit(body[p])) ++p;
      if (p < body.size() && (body[p] == 'r' || body[p] == 'R')) ++p;
      for (; p < body.size(); ++p)
        if (std::string_view(".-+,/_=").find(body[p]) == std::string_view::npos)
          return *why = "bad delimiter in macro '%{" + std::string(body) + "}'", false;
      i = close;
      continue;
    }
    if (c < 0x21 || c > 0x7E) return *why = "a byte outside visible ASCII", false;
  }
  return true;
}

// domain-spec = macro-string domain-end (RFC 7208 7.1)
bool validDomainSpec(std::string_view s, std::string* why) {
  if (s.empty()) return *why = "empty domain-spec", false;
  if (!validMacroString(s, false, why)) return false;
  if (s.back() == '}') return true;  // ends in a macro-expand
  std::string_view d = s;
  if (d.back() == '.') d.remove_suffix(1);
  auto dot = d.rfind('.');
  if (dot == std::string_view::npos)
    return *why = "domain-spec '" + std::string(s) + "' has no top label", false;
  std::string_view top = d.substr(dot + 1);
  // The macro-string before it may hold macros; the top label itself must be literal.
  if (top.empty()) return *why = "empty label in '" + std::string(s) + "'", false;
  bool alpha = false;
  for (char c : top) {
    if (isAlpha(c))
      alpha = true;
    else if (!isDigit(c) && c != '-')
      return *why = "bad top label '" + std::string(top) + "'", false;
  }
  if (top.front() == '-' || top.back() == '-')
    return *why = "bad top label '" + std::string(top) + "'", false;
  if (!alpha) return *why = "numeric top label '" + std::string(top) + "'", false;
  return true;
}

// "/" ("0" / %x31-39 0*N DIGIT) with value <= max
bool parseCidr(std::string_view digits, int max, int& out) {
  if (digits.empty() || digits.size() > 3) return false;
  if (digits.size() > 1 && digits[0] == '0') return false;
  int v = 0;
  for (char c : digits) {
    if (!isDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  if (v > max) return false;
  out = v;
  return true;
}

struct Term {
  std::string_view text;
  char qualifier = 0;
  std::string name;  // lower case
  bool modifier = false;
  std::string_view domain;  // domain-spec, or the ip network for ip4/ip6
  bool hasDomain = false;
  int cidr4 = -1, cidr6 = -1;
};

// Splits "domain/24//64" into the domain and the CIDR lengths; false on a malformed length.
bool splitDualCidr(std::string_view rest, Term& t, bool dual, std::string* why) {
  // The CIDR part is the longest suffix of the form [/N][//M]; '/' is also a legal macro
  // literal, so only digits after the last slashes count.
  auto digitsAfter = [](std::string_view s, size_t slash) {
    for (size_t i = slash + 1; i < s.size(); ++i)
      if (!isDigit(s[i])) return false;
    return true;
  };
  std::string_view body = rest;
  if (dual) {
    auto dbl = body.rfind("//");
    if (dbl != std::string_view::npos && digitsAfter(body, dbl + 1)) {
      if (!parseCidr(body.substr(dbl + 2), 128, t.cidr6))
        return *why = "bad ip6-cidr-length", false;
      body = body.substr(0, dbl);
    }
  }
  auto slash = body.rfind('/');
  if (slash != std::string_view::npos && digitsAfter(body, slash) &&
      (slash == 0 || body[slash - 1] != '/')) {
    if (!parseCidr(body.substr(slash + 1), dual ? 32 : 128, t.cidr4))
      return *why = "bad cidr-length", false;
    body = body.substr(0, slash);
  }
  t.domain = body;
  return true;
}

std::optional<Term> parseTerm(std::string_view text, std::string* why) {
  Term t;
  t.text = text;
  // A modifier is name "=" with name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ).
  size_t stop = text.find_first_of(":/=");
  if (stop != std::string_view::npos && text[stop] == '=') {
    std::string_view name = text.substr(0, stop);
    if (name.empty() || !isAlpha(name[0]))
      return *why = "bad modifier name '" + std::string(name) + "'", std::nullopt;
    for (char c : name)
      if (!isAlnum(c) && c != '-' && c != '_' && c != '.')
        return *why = "bad modifier name '" + std::string(name) + "'", std::nullopt;
    t.modifier = true;
    t.name = lower(name);
    t.domain = text.substr(stop + 1);
    t.hasDomain = true;
    if (t.name == "redirect" || t.name == "exp") {
      if (!validDomainSpec(t.domain, why)) return *why = t.name + "=: " + *why, std::nullopt;
    } else if (!validMacroString(t.domain, false, why)) {
      return *why = "modifier " + t.name + ": " + *why, std::nullopt;
    }
    return t;
  }
  std::string_view rest = text;
  if (!rest.empty() && std::string_view("+-?~").find(rest[0]) != std::string_view::npos) {
    t.qualifier = rest[0];
    rest.remove_prefix(1);
  }
  size_t end = rest.find_first_of(":/");
  std::string_view name = rest.substr(0, end);
  t.name = lower(name);
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  static const std::vector<std::string> known = {"all", "include", "a",   "mx",
                                                 "ptr", "ip4",     "ip6", "exists"};
  if (std::find(known.begin(), known.end(), t.name) == known.end())
    return *why = "unknown mechanism '" + std::string(name) + "'", std::nullopt;
  const bool colon = !rest.empty() && rest[0] == ':';
  if (colon) rest.remove_prefix(1);
  if (t.name == "all") {
    if (!rest.empty() || colon) return *why = "'all' takes no argument", std::nullopt;
    return t;
  }
  if (t.name == "include" || t.name == "exists") {
    if (!colon) return *why = t.name + " needs ':domain'", std::nullopt;
    t.domain = rest;
    t.hasDomain = true;
    if (!validDomainSpec(t.domain, why)) return *why = t.name + ": " + *why, std::nullopt;
    return t;
  }
  if (t.name == "ptr") {
    if (!colon && !rest.empty()) return *why = "bad ptr mechanism", std::nullopt;
    t.hasDomain = colon;
    t.domain = rest;
    if (colon && !validDomainSpec(t.domain, why)) return *why = "ptr: " + *why, std::nullopt;
    return t;
  }
  if (t.name == "a" || t.name == "mx") {
    if (!splitDualCidr(rest, t, true, why)) return *why = t.name + ": " + *why, std::nullopt;
    t.hasDomain = colon;
    if (!colon && !t.domain.empty()) return *why = "bad " + t.name + " mechanism", std::nullopt;
    if (colon && !validDomainSpec(t.domain, why)) return *why = t.name + ": " + *why, std::nullopt;
    return t;
  }
  // ip4 / ip6
  if (!colon) return *why = t.name + " needs ':network'", std::nullopt;
  const bool v4 = t.name == "ip4";
  auto slash = rest.find('/');
  std::string net(rest.substr(0, slash));
  if (slash != std::string_view::npos &&
      !parseCidr(rest.substr(slash + 1), v4 ? 32 : 128, v4 ? t.cidr4 : t.cidr6))
    return *why = t.name + ": bad cidr-length", std::nullopt;
  unsigned char buf[16];
  if (inet_pton(v4 ? AF_INET : AF_INET6, net.c_str(), buf) != 1)
    return *why = t.name + ": '" + net + "' is not an address", std::nullopt;
  if (v4) {  // RFC 7208 qnum: no leading zeros
    size_t start = 0;
    while (start < net.size()) {
      size_t dot = net.find('.', start);
      std::string_view q = std::string_view(net).substr(
          start, dot == std::string::npos ? std::string::npos : dot - start);
      if (q.size() > 1 && q[0] == '0')
        return *why = "ip4: leading zero in '" + net + "'", std::nullopt;
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
  }
  t.domain = rest.substr(0, slash);
  return t;
}

std::vector<std::string_view> splitTerms(std::string_view record) {
  std::vector<std::string_view> out;
  size_t i = 6;  // after "v=spf1"
  while (i < record.size()) {
    while (i < record.size() && record[i] == ' ') ++i;
    size_t j = record.find(' ', i);
    if (j == std::string_view::npos) j = record.size();
    if (j > i) out.push_back(record.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace

bool isSpfRecord(std::string_view txt) {
  return txt.size() >= 6 && iequals(txt.substr(0, 6), "v=spf1") &&
         (txt.size() == 6 || txt[6] == ' ');
}

std::optional<std::string> spfSyntaxError(std::string_view record) {
  if (!isSpfRecord(record)) return "not an SPF record";
  for (unsigned char c : record)
    if (c < 0x20 || c > 0x7E) return "the record holds a control or non-ASCII byte";
  int redirects = 0, exps = 0;
  for (auto text : splitTerms(record)) {
    std::string why;
    auto t = parseTerm(text, &why);
    if (!t) return "term '" + std::string(text) + "': " + why;
    if (t->modifier && t->name == "redirect" && ++redirects > 1) return "more than one redirect=";
    if (t->modifier && t->name == "exp" && ++exps > 1) return "more than one exp=";
  }
  return std::nullopt;
}

std::string rewriteForLibspf2(std::string_view record, bool ipv4) {
  std::string out = "v=spf1";
  bool hasAll = false;
  for (auto text : splitTerms(record)) {
    std::string why;
    auto t = parseTerm(text, &why);
    if (t && !t->modifier && t->name == "all") hasAll = true;
  }
  for (auto text : splitTerms(record)) {
    std::string why;
    auto t = parseTerm(text, &why);
    std::string term(text);
    if (t && t->modifier) {
      // Unknown modifiers are ignored (RFC 7208 6); libspf2 refuses some legal names. A
      // redirect= is ignored when the record has "all" (6.1); libspf2 may still follow it.
      if (t->name != "redirect" && t->name != "exp") continue;
      if (t->name == "redirect" && hasAll) continue;
    } else if (t) {
      const std::string q = t->qualifier ? std::string(1, t->qualifier) : "";
      if (t->name == "ip4" && t->cidr4 == 0) {
        term = q + "ip4:0.0.0.0/1 " + q + "ip4:128.0.0.0/1";
      } else if (t->name == "ip6" && t->cidr6 == 0) {
        term = q + "ip6:::/1 " + q + "ip6:8000::/1";
      } else if ((t->name == "a" || t->name == "mx") && (t->cidr4 == 0 || t->cidr6 == 0)) {
        const std::string domain = t->hasDomain ? std::string(t->domain) : "%{d}";
        // The length for the other family never applies to this client: leave it out.
        const int own = ipv4 ? t->cidr4 : t->cidr6;
        if (own == 0 && t->name == "a" && ipv4) {
          term = q + "exists:" + domain;  // any A record matches every IPv4 client
        } else if (own != 0) {
          term = q + t->name + (t->hasDomain ? ":" + domain : "");
          if (own > 0) term += ipv4 ? "/" + std::to_string(own) : "//" + std::to_string(own);
        }
      }
    }
    out += " " + term;
  }
  return out;
}

}  // namespace portcullis::auth
