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

// A pattern read piece by piece the way a regex parser sees it: an escape is two bytes, a
// character class `[...]` one piece (a leading ']' and `[:name:]` inside do not end it),
// every other byte a piece of its own. Every rewrite below walks patterns with this, so none
// of them can disagree about where a class ends.
class PatternCursor {
 public:
  enum class Piece { Escape, Class, Char };
  explicit PatternCursor(std::string_view p) : p_(p) {}

  bool next() {
    pos_ = end_;
    if (pos_ >= p_.size()) return false;
    size_t i = pos_;
    if (p_[i] == '\\' && i + 1 < p_.size()) {
      piece_ = Piece::Escape;
      end_ = i + 2;
    } else if (p_[i] == '[') {
      piece_ = Piece::Class;
      ++i;
      if (i < p_.size() && p_[i] == '^') ++i;
      if (i < p_.size() && p_[i] == ']') ++i;
      while (i < p_.size() && p_[i] != ']') {
        if (p_[i] == '\\' && i + 1 < p_.size()) {
          i += 2;
        } else if (p_[i] == '[' && i + 1 < p_.size() && p_[i + 1] == ':') {
          size_t close = p_.find(":]", i + 2);
          i = close == std::string_view::npos ? i + 1 : close + 2;
        } else {
          ++i;
        }
      }
      end_ = i < p_.size() ? i + 1 : i;
    } else {
      piece_ = Piece::Char;
      end_ = i + 1;
    }
    return true;
  }
  Piece piece() const { return piece_; }
  std::string_view text() const { return p_.substr(pos_, end_ - pos_); }
  char ch() const { return p_[pos_]; }  // the (first) byte of the piece
  size_t pos() const { return pos_; }
  // Continues after `pos` (the end of the pattern when npos).
  void skipTo(size_t pos) { end_ = pos == std::string_view::npos ? p_.size() : pos; }

 private:
  std::string_view p_;
  size_t pos_ = 0, end_ = 0;
  Piece piece_ = Piece::Char;
};
using Piece = PatternCursor::Piece;

bool oneOf(std::string_view set, char c) {
  return set.find(c) != std::string_view::npos;
}

// Perl's /x: unescaped white space and #-comments outside character classes are not part of
// the pattern.
std::string stripExtended(std::string_view p) {
  std::string out;
  for (PatternCursor c(p); c.next();) {
    if (c.piece() == Piece::Char) {
      if (c.ch() == '#') {
        c.skipTo(p.find('\n', c.pos()));
        continue;
      }
      if (oneOf(" \t\n\r\f\v", c.ch())) continue;
    }
    out += c.text();
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
  bool afterQuantifier = false;  // the previous piece was an unescaped * + ? or }
  for (PatternCursor c(p); c.next();) {
    if (c.piece() == Piece::Escape) {
      char n = c.text()[1];
      if ((n >= '1' && n <= '9') || n == 'g' || n == 'k' || n == 'G' || n == 'K') return true;
    } else if (c.piece() == Piece::Char) {
      std::string_view rest = p.substr(c.pos());
      if (rest.size() > 2 && rest[0] == '(' && rest[1] == '?') {
        char k = rest[2];
        if (oneOf("=!>({R|&+0123456789", k)) return true;
        if (k == '<' && rest.size() > 3 && (rest[3] == '=' || rest[3] == '!')) return true;
      }
      if (c.ch() == '+' && afterQuantifier) return true;  // possessive: *+ ++ ?+ }+
    }
    afterQuantifier = c.piece() == Piece::Char && oneOf("*+?}", c.ch());
  }
  return false;
}

bool relaxBoundedRepeats(const std::string& p, int limit, std::string* out) {
  std::string body;
  bool changed = false;
  for (PatternCursor c(p); c.next();) {
    if (c.piece() == Piece::Char && c.ch() == '{' && c.pos() > 0) {
      // {m}, {m,} or {m,n}: anything else is a literal brace.
      size_t j = c.pos() + 1;
      auto number = [&](long* v) {
        bool any = false;
        for (*v = 0; j < p.size() && std::isdigit(static_cast<unsigned char>(p[j])); any = true)
          *v = *v * 10 + (p[j++] - '0');
        return any;
      };
      long m = 0, n = -1;
      bool digits = number(&m);
      if (j < p.size() && p[j] == ',') {
        ++j;
        if (!number(&n)) n = -1;
      } else {
        n = m;
      }
      if (digits && j < p.size() && p[j] == '}' && (n > limit || m > limit)) {
        long lower = m < limit ? m : limit;
        body += "{" + std::to_string(lower) + ",}";
        changed = true;
        c.skipTo(j + 1);
        continue;
      }
    }
    body += c.text();
  }
  if (changed) *out = body;
  return changed;
}

bool rewriteForRe2(const PerlRegex& re, std::string* out) {
  // Escapes whose meaning differs between Perl and RE2, or that RE2 lacks.
  auto differs = [](char n) { return oneOf("vhVHRXNecoZlLuU", n); };
  std::string body;
  for (PatternCursor c(re.pattern); c.next();) {
    std::string_view t = c.text();
    switch (c.piece()) {
      case Piece::Escape:
        if (differs(t[1]) || t[1] == '0') return false;
        body += t;
        break;
      case Piece::Class: {
        for (size_t k = 0; k + 1 < t.size(); ++k)
          if (t[k] == '\\' && differs(t[++k])) return false;
        // A ']' first in the class is literal in Perl; RE2 wants it escaped.
        size_t lead = t.size() > 1 && t[1] == '^' ? 2 : 1;
        if (t.size() > lead && t[lead] == ']')
          body += std::string(t.substr(0, lead)) + "\\" + std::string(t.substr(lead));
        else
          body += t;
        break;
      }
      case Piece::Char:
        // Perl's `$` without /m also matches before a final newline; RE2's only at the end.
        if (c.ch() == '$' && !re.multiline)
          body += "(?:\\n?\\z)";
        else
          body += t;
        break;
    }
  }
  std::string flags;
  if (re.caseless) flags += 'i';
  if (re.multiline) flags += 'm';
  if (re.dotall) flags += 's';
  *out = flags.empty() ? body : "(?" + flags + ")" + body;
  return true;
}

}  // namespace portcullis::rules
