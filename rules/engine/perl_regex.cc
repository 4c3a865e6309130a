#include "rules/engine/perl_regex.h"

#include <cctype>

namespace portcullis::rules {
namespace {

char closingDelimiter(char open) {
  switch (open) {
    case '(':
      return ')';
    case '{':
      return '}';
    case '[':
      return ']';
    case '<':
      return '>';
    default:
      return open;
  }
}

// Perl's /x: unescaped white space and #-comments outside character classes are not part of
// the pattern.
std::string stripExtended(std::string_view p) {
  std::string out;
  bool inClass = false;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      out += c;
      out += p[++i];
      continue;
    }
    if (inClass) {
      if (c == ']') inClass = false;
      out += c;
      continue;
    }
    if (c == '[') {
      inClass = true;
      out += c;
      // A ']' right after '[' or '[^' is literal.
      if (i + 1 < p.size() && p[i + 1] == '^') out += p[++i];
      if (i + 1 < p.size() && p[i + 1] == ']') out += p[++i];
      continue;
    }
    if (c == '#') {
      while (i < p.size() && p[i] != '\n') ++i;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') continue;
    out += c;
  }
  return out;
}

}  // namespace

RegexParse parsePerlRegex(std::string_view text) {
  RegexParse r;
  size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  if (i < text.size() && text[i] == 'm' && i + 1 < text.size() &&
      !std::isalnum(static_cast<unsigned char>(text[i + 1])) && text[i + 1] != ' ' &&
      text[i + 1] != '_')
    ++i;
  else if (i >= text.size() || text[i] != '/') {
    r.error = "expected a regex such as /pattern/flags";
    return r;
  }
  char open = text[i++];
  char close = closingDelimiter(open);
  int depth = 0;
  std::string pattern;
  bool closed = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      // Perl hands `\/` to the regex engine unchanged, where it means a literal '/'; every
      // engine here reads an escaped punctuation character the same way.
      pattern += c;
      pattern += text[++i];
      continue;
    }
    if (open != close && c == open) ++depth;
    if (c == close) {
      if (depth == 0) {
        closed = true;
        ++i;
        break;
      }
      --depth;
    }
    pattern += c;
  }
  if (!closed) {
    r.error = std::string("regex is not closed by '") + close + "'";
    return r;
  }
  for (; i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])); ++i) {
    switch (text[i]) {
      case 'i':
        r.regex.caseless = true;
        break;
      case 'm':
        r.regex.multiline = true;
        break;
      case 's':
        r.regex.dotall = true;
        break;
      case 'x':
        r.regex.extended = true;
        break;
      case 'g':
      case 'o':
        break;
      default:
        r.error = std::string("unknown regex flag '") + text[i] + "'";
        return r;
    }
  }
  r.regex.pattern = std::move(pattern);
  r.rest = text.substr(i);
  if (r.regex.pattern.empty()) r.error = "empty regex";
  return r;
}

void applyExtended(PerlRegex& re) {
  if (!re.extended) return;
  re.pattern = stripExtended(re.pattern);
  re.extended = false;
}

bool needsBacktracking(std::string_view p) {
  bool inClass = false;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      char n = p[++i];
      if (inClass) continue;
      if ((n >= '1' && n <= '9') || n == 'g' || n == 'k' || n == 'G' || n == 'K') return true;
      continue;
    }
    if (inClass) {
      if (c == ']') inClass = false;
      continue;
    }
    if (c == '[') {
      inClass = true;
      if (i + 1 < p.size() && p[i + 1] == '^') ++i;
      if (i + 1 < p.size() && p[i + 1] == ']') ++i;
      continue;
    }
    if (c == '(' && i + 2 < p.size() && p[i + 1] == '?') {
      char k = p[i + 2];
      if (k == '=' || k == '!' || k == '>' || k == '(' || k == '{' || k == 'R' || k == '|' ||
          k == '&' || k == '+' || (k >= '0' && k <= '9'))
        return true;
      if (k == '<' && i + 3 < p.size() && (p[i + 3] == '=' || p[i + 3] == '!')) return true;
    }
    // Possessive quantifiers: *+ ++ ?+ }+
    if (c == '+' && i > 0 &&
        (p[i - 1] == '*' || p[i - 1] == '+' || p[i - 1] == '?' || p[i - 1] == '}')) {
      // `a++` is possessive only when the first '+' is itself a quantifier, i.e. not escaped.
      if (!(i >= 2 && p[i - 2] == '\\')) return true;
    }
  }
  return false;
}

bool relaxBoundedRepeats(const std::string& p, int limit, std::string* out) {
  std::string body;
  bool inClass = false, changed = false;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      body += c;
      body += p[++i];
      continue;
    }
    if (inClass) {
      if (c == ']') inClass = false;
      body += c;
      continue;
    }
    if (c == '[') {
      inClass = true;
      body += c;
      if (i + 1 < p.size() && p[i + 1] == '^') body += p[++i];
      if (i + 1 < p.size() && p[i + 1] == ']') body += p[++i];
      continue;
    }
    if (c == '{' && i > 0) {
      // {m}, {m,} or {m,n}: anything else is a literal brace.
      size_t j = i + 1;
      long m = 0, n = -1;
      bool digits = false;
      while (j < p.size() && std::isdigit(static_cast<unsigned char>(p[j])))
        m = m * 10 + (p[j++] - '0'), digits = true;
      bool comma = j < p.size() && p[j] == ',';
      if (comma) {
        ++j;
        if (j < p.size() && std::isdigit(static_cast<unsigned char>(p[j]))) {
          n = 0;
          while (j < p.size() && std::isdigit(static_cast<unsigned char>(p[j])))
            n = n * 10 + (p[j++] - '0');
        }
      } else {
        n = m;
      }
      if (digits && j < p.size() && p[j] == '}' && (n > limit || m > limit)) {
        long lower = m < limit ? m : limit;
        body += lower == 0 ? "{0,}" : "{" + std::to_string(lower) + ",}";
        changed = true;
        i = j;
        continue;
      }
    }
    body += c;
  }
  if (changed) *out = body;
  return changed;
}

bool rewriteForRe2(const PerlRegex& re, std::string* out) {
  std::string body;
  const std::string& p = re.pattern;
  bool inClass = false;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      char n = p[++i];
      // Escapes whose meaning differs between Perl and RE2 (or that RE2 lacks).
      if (n == 'v' || n == 'h' || n == 'V' || n == 'H' || n == 'R' || n == 'X' || n == 'N' ||
          n == 'e' || n == 'c' || n == 'o' || n == 'Z' || n == 'l' || n == 'u' || n == 'L' ||
          n == 'U' || (n == '0' && !inClass))
        return false;
      body += c;
      body += n;
      continue;
    }
    if (inClass) {
      if (c == ']') inClass = false;
      body += c;
      continue;
    }
    if (c == '[') {
      inClass = true;
      body += c;
      if (i + 1 < p.size() && p[i + 1] == '^') body += p[++i];
      if (i + 1 < p.size() && p[i + 1] == ']') body += "\\]", ++i;
      continue;
    }
    // Perl's `$` without /m also matches before a final newline; RE2's only at the very end.
    if (c == '$' && !re.multiline) {
      body += "(?:\\n?\\z)";
      continue;
    }
    body += c;
  }
  std::string flags;
  if (re.caseless) flags += 'i';
  if (re.multiline) flags += 'm';
  if (re.dotall) flags += 's';
  *out = flags.empty() ? body : "(?" + flags + ")" + body;
  return true;
}

}  // namespace portcullis::rules
