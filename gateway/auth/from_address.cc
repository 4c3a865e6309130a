#include "gateway/auth/from_address.h"

#include <algorithm>
#include <cctype>

#include "gateway/auth/dmarc.h"
#include "gateway/dns/message.h"

namespace portcullis::auth {

namespace {

enum class Tok { Atom, Quoted, Literal, Special, Bad };

struct Token {
  Tok kind;
  std::string text;  // an atom, a quoted string's content, a literal, or the special character
  bool is(char c) const { return kind == Tok::Special && text.size() == 1 && text[0] == c; }
};

bool atext(unsigned char c) {
  if (c >= 0x80) return true;  // RFC 6532 UTF-8
  if (std::isalnum(c)) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(static_cast<char>(c)) != std::string_view::npos;
}

// RFC 5322 lexical tokens; comments and white space are dropped. A byte that fits nowhere (a
// backslash outside quotes, a control character, an unmatched ')' or ']') and an unterminated
// quoted string, comment or literal are Bad tokens: the strict reader fails on them.
std::vector<Token> tokenize(std::string_view v) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < v.size()) {
    unsigned char c = static_cast<unsigned char>(v[i]);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i;
    } else if (c == '(') {
      int depth = 0;
      size_t j = i;
      for (; j < v.size(); ++j) {
        if (v[j] == '\\') {
          ++j;
        } else if (v[j] == '(') {
          ++depth;
        } else if (v[j] == ')' && --depth == 0) {
          break;
        }
      }
      if (j >= v.size()) out.push_back({Tok::Bad, "("});
      i = j + 1;
    } else if (c == '"') {
      std::string s;
      size_t j = i + 1;
      bool closed = false;
      for (; j < v.size(); ++j) {
        if (v[j] == '\\' && j + 1 < v.size()) {
          s += v[++j];
        } else if (v[j] == '"') {
          closed = true;
          break;
        } else {
          s += v[j];
        }
      }
      out.push_back({closed ? Tok::Quoted : Tok::Bad, s});
      i = j + 1;
    } else if (c == '[') {
      size_t j = v.find(']', i);
      out.push_back({j == std::string_view::npos ? Tok::Bad : Tok::Literal,
                     std::string(v.substr(i, j == std::string_view::npos ? v.size() - i : j - i + 1))});
      i = j == std::string_view::npos ? v.size() : j + 1;
    } else if (std::string_view("<>,;:@.").find(static_cast<char>(c)) != std::string_view::npos) {
      out.push_back({Tok::Special, std::string(1, static_cast<char>(c))});
      ++i;
    } else if (atext(c)) {
      size_t j = i;
      while (j < v.size() && atext(static_cast<unsigned char>(v[j]))) ++j;
      out.push_back({Tok::Atom, std::string(v.substr(i, j - i))});
      i = j;
    } else {
      out.push_back({Tok::Bad, std::string(1, static_cast<char>(c))});
      ++i;
    }
  }
  return out;
}

// The strict reader: RFC 5322 3.4 address-list with the obsolete forms of 4.4 (empty list
// elements, routes, phrases with dots, CFWS inside addresses). Each list element is read on
// its own, so one bad element does not hide the good ones.
class Strict {
 public:
  explicit Strict(const std::vector<Token>& t) : t_(t) {}

  bool read(std::vector<std::string>& addresses) {
    bool ok = true;
    while (p_ < t_.size()) {
      if (at(',')) {
        ++p_;
        continue;
      }
      const size_t start = p_;
      std::vector<std::string> got;
      if (address(got) && (p_ == t_.size() || at(','))) {
        addresses.insert(addresses.end(), got.begin(), got.end());
      } else {
        ok = false;
        p_ = start;
        skipElement();
      }
    }
    return ok;
  }

 private:
  bool at(char c) const { return p_ < t_.size() && t_[p_].is(c); }
  bool word() const {
    return p_ < t_.size() && (t_[p_].kind == Tok::Atom || t_[p_].kind == Tok::Quoted);
  }

  // To the next ',' outside angle brackets and groups.
  void skipElement() {
    int angle = 0;
    bool group = false;
    for (; p_ < t_.size(); ++p_) {
      if (t_[p_].is('<')) ++angle;
      if (t_[p_].is('>') && angle > 0) --angle;
      if (t_[p_].is(':') && angle == 0) group = true;
      if (t_[p_].is(';')) group = false;
      if (t_[p_].is(',') && angle == 0 && !group) return;
    }
  }

  bool phrase() {  // obs-phrase: word *(word / ".")
    if (!word()) return false;
    while (word() || at('.')) ++p_;
    return true;
  }

  bool address(std::vector<std::string>& out) {
    const size_t start = p_;
    if (phrase() && at(':')) {  // a group
      ++p_;
      while (!at(';')) {
        if (p_ >= t_.size()) return false;
        if (at(',')) {
          ++p_;
          continue;
        }
        std::string a;
        if (!mailbox(a)) return false;
        out.push_back(a);
        if (!at(',') && !at(';')) return false;
      }
      ++p_;
      return true;
    }
    p_ = start;
    std::string a;
    if (!mailbox(a)) return false;
    out.push_back(a);
    return true;
  }

  bool mailbox(std::string& a) {
    const size_t start = p_;
    phrase();
    if (at('<')) {
      ++p_;
      if (at('@')) {  // obs-route: "@a.test,@b.test:" before the address
        while (at('@') || at(',')) {
          if (at('@')) {
            ++p_;
            std::string d;
            if (!domain(d)) return false;
          } else {
            ++p_;
          }
        }
        if (!at(':')) return false;
        ++p_;
      }
      if (!addrSpec(a) || !at('>')) return false;
      ++p_;
      return true;
    }
    p_ = start;
    return addrSpec(a);
  }

  bool addrSpec(std::string& a) {
    std::string local;
    if (!word()) return false;
    local += t_[p_++].text;
    while (at('.')) {
      ++p_;
      if (!word()) return false;
      local += "." + t_[p_++].text;
    }
    if (!at('@')) return false;
    ++p_;
    std::string d;
    if (!domain(d)) return false;
    a = local + "@" + d;
    return true;
  }

  bool domain(std::string& d) {
    if (p_ < t_.size() && t_[p_].kind == Tok::Literal) {
      d = t_[p_++].text;
      return true;
    }
    if (p_ >= t_.size() || t_[p_].kind != Tok::Atom) return false;
    d = t_[p_++].text;
    while (at('.')) {
      ++p_;
      if (p_ >= t_.size() || t_[p_].kind != Tok::Atom) return false;
      d += "." + t_[p_++].text;
    }
    return true;
  }

  const std::vector<Token>& t_;
  size_t p_ = 0;
};

// The lenient readers, on the same tokens (quoted strings and comments stay display text):
// every address inside any angle brackets, route domains included, and every bare
// word@domain outside them.
std::vector<std::string> lenientDomains(const std::vector<Token>& t) {
  std::vector<std::string> out;
  auto domainAt = [&](size_t i) {
    std::string d;
    while (i < t.size() && (t[i].kind == Tok::Atom || t[i].is('.'))) d += t[i++].text;
    return d;
  };
  for (size_t i = 0; i < t.size(); ++i) {
    if (!t[i].is('@')) continue;
    std::string d = domainAt(i + 1);
    if (!d.empty()) out.push_back(d);
  }
  return out;
}

std::string afterAt(const std::string& address) {
  auto at = address.rfind('@');
  return at == std::string::npos ? "" : address.substr(at + 1);
}

void addDomain(std::vector<std::string>& out, std::string_view d) {
  if (!usableFromDomain(d)) return;
  auto n = dns::normalizeName(d);
  if (n && std::find(out.begin(), out.end(), *n) == out.end()) out.push_back(*n);
}

// The value cut at its first control character, and with them removed: what C code and
// lenient code see of "admin@legitimate.com\0.attack.com".
std::vector<std::string> controlReadings(std::string_view v) {
  auto bad = [](char ch) {
    unsigned char c = static_cast<unsigned char>(ch);
    return (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f;
  };
  auto it = std::find_if(v.begin(), v.end(), bad);
  if (it == v.end()) return {};
  std::string removed;
  for (char c : v)
    if (!bad(c)) removed += c;
  return {std::string(v.substr(0, static_cast<size_t>(it - v.begin()))), removed};
}

}  // namespace

bool usableFromDomain(std::string_view d) {
  if (d.empty() || d.front() == '.' || d.find("..") != std::string_view::npos) return false;
  for (unsigned char c : d)
    if (!(std::isalnum(c) || c == '-' || c == '_' || c == '.' || c >= 0x80)) return false;
  return true;
}

MailboxListReading readMailboxList(std::string_view value, std::string_view decoded) {
  MailboxListReading r;
  const auto tokens = tokenize(value);
  r.strictOk = Strict(tokens).read(r.addresses);
  std::vector<std::string> strictDomains;
  for (const auto& a : r.addresses) addDomain(strictDomains, afterAt(a));
  r.domains = strictDomains;
  for (const auto& d : lenientDomains(tokens)) addDomain(r.domains, d);
  if (r.domains.size() > strictDomains.size())
    r.why = r.strictOk ? "a route names another domain" : "malformed address list";
  // This gateway's previous extractor: what it evaluated stays evaluated.
  for (const auto& d : fromDomains({std::string(value)})) addDomain(r.domains, d);
  auto other = [&](std::string_view text, const char* why) {
    const size_t before = r.domains.size();
    for (const auto& d : lenientDomains(tokenize(text))) addDomain(r.domains, d);
    if (r.domains.size() > before && r.why.empty()) r.why = why;
  };
  if (!decoded.empty() && decoded != value)
    other(decoded, "an address inside an encoded word");
  for (const auto& text : controlReadings(value)) other(text, "a control character in From");
  if (r.why.empty() && !r.strictOk && strictDomains.empty() && !r.domains.empty())
    r.why = "no valid address";
  if (r.why.empty() && strictDomains.size() != r.domains.size()) r.why = "malformed address list";
  return r;
}

FromReading readFrom(const mime::HeaderSection& section) {
  FromReading out;
  std::vector<std::string> all, shown;
  bool obsolete = false;
  bool lenientOnly = false;
  std::string why;
  std::vector<const mime::Header*> froms;
  for (const auto& h : section.fields)
    if (mime::iequals(h.name, "From")) froms.push_back(&h);
  out.fields = froms.size();
  for (size_t i = 0; i < froms.size(); ++i) {
    const auto& h = *froms[i];
    obsolete = obsolete || h.obsolete;
    auto r = readMailboxList(h.value, h.decoded);
    out.addresses.insert(out.addresses.end(), r.addresses.begin(), r.addresses.end());
    if ((i == 0 || i + 1 == froms.size()) && !r.domains.empty()) addDomain(shown, r.domains.front());
    for (const auto& d : r.domains) addDomain(all, d);
    if (!r.why.empty()) {
      if (why.empty()) why = r.why;
      // Domains only a lenient reader found: readers disagree even if there is one.
      if (r.addresses.empty()) lenientOnly = true;
    }
  }
  // A skipped line that another reader takes for a From field ("From\0: x", " From: x").
  for (const auto& line : section.skippedLines) {
    std::string_view l = mime::trim(line);
    size_t n = 0;
    while (n < l.size() && std::isalpha(static_cast<unsigned char>(l[n]))) ++n;
    if (!mime::iequals(l.substr(0, n), "From")) continue;
    size_t colon = l.find(':', n);
    if (colon == std::string_view::npos) continue;
    const size_t before = all.size();
    for (const auto& d : readMailboxList(l.substr(colon + 1)).domains) addDomain(all, d);
    if (all.size() > before) {
      lenientOnly = true;
      if (why.empty()) why = "a malformed line that reads as From";
    }
  }
  // A From written in obsolete form is invisible to a strict reader, and no From at all is
  // nothing to show: such a reader shows Sender or Resent-From instead (paper: Figure 6(d)).
  if (obsolete || all.empty()) {
    const size_t before = all.size();
    for (const auto& h : section.fields) {
      if (!mime::iequals(h.name, "Sender") && !mime::iequals(h.name, "Resent-From")) continue;
      for (const auto& d : readMailboxList(h.value, h.decoded).domains) addDomain(all, d);
    }
    if (all.size() > before) {
      out.fallback = true;
      if (why.empty())
        why = froms.empty() ? "no From field; Sender or Resent-From shown instead"
                            : "From in obsolete syntax; Sender or Resent-From shown instead";
    }
  }
  for (const auto& d : all) addDomain(shown, d);
  out.domains = std::move(shown);
  out.ambiguous = out.domains.size() > 1 || lenientOnly || out.fallback;
  if (out.ambiguous) out.why = why.empty() ? "From domains differ" : why;
  return out;
}

}  // namespace portcullis::auth
