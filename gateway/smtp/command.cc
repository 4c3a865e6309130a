#include "gateway/smtp/command.h"

#include <algorithm>
#include <cctype>

#include "gateway/core/ip_address.h"

namespace portcullis::smtp {

namespace {

using core::makeReply;
using core::Reply;

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

bool iequalsPrefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

Verb verbOf(const std::string& v) {
  static const std::pair<const char*, Verb> table[] = {
      {"HELO", Verb::Helo}, {"EHLO", Verb::Ehlo}, {"MAIL", Verb::Mail},
      {"RCPT", Verb::Rcpt}, {"DATA", Verb::Data}, {"RSET", Verb::Rset},
      {"NOOP", Verb::Noop}, {"QUIT", Verb::Quit}, {"VRFY", Verb::Vrfy},
      {"EXPN", Verb::Expn}, {"HELP", Verb::Help}, {"STARTTLS", Verb::StartTls},
      {"BDAT", Verb::Bdat}, {"AUTH", Verb::Auth}, {"ETRN", Verb::Etrn},
  };
  for (const auto& [name, verb] : table)
    if (v == name) return verb;
  return Verb::Unknown;
}

bool isLetDig(unsigned char c) {
  return std::isalnum(c) || c >= 0x80;
}

// Domain: dot-separated labels of letters, digits and hyphens (UTF-8 admitted here; the session
// refuses it without SMTPUTF8), or an address literal.
bool validDomain(std::string_view d) {
  if (d.empty() || d.size() > 255) return false;
  if (d.front() == '[') {
    if (d.back() != ']') return false;
    std::string_view inner = d.substr(1, d.size() - 2);
    if (iequalsPrefix(inner, "IPV6:")) {
      auto a = core::IpAddress::parse(inner.substr(5));
      return a && a->v6;
    }
    auto a = core::IpAddress::parse(inner);
    return a && !a->v6;
  }
  size_t labelLen = 0;
  unsigned char prev = '.';
  for (unsigned char c : d) {
    if (c == '.') {
      if (labelLen == 0 || prev == '-') return false;
      labelLen = 0;
    } else if (isLetDig(c) || c == '-') {
      if (labelLen == 0 && c == '-') return false;
      if (++labelLen > 63) return false;
    } else {
      return false;
    }
    prev = c;
  }
  return prev != '-';  // a trailing dot is tolerated (prev == '.')
}

Reply syntax(std::string why) {
  return makeReply(501, "5.1.7", std::move(why));
}

// RFC 5321 4.1.2 admits no control character in a local part, quoted or not (qtextSMTP and
// quoted-pairSMTP are %d32-126); a tab or an escape would reach logs and header fields as is.
bool isControl(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

}  // namespace

std::optional<core::Address> parseAddressText(std::string_view text, bool allowNull,
                                              std::string* why) {
  const std::string bracketed =
      text.starts_with("<") ? std::string(text) : "<" + std::string(text) + ">";
  std::string_view v = bracketed;
  auto r = parsePath(v, allowNull);
  if (auto* err = std::get_if<core::Reply>(&r)) {
    if (why) *why = err->text;
    return std::nullopt;
  }
  return std::get<core::Address>(r);
}

bool containsNonAscii(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

std::variant<core::Address, core::Reply> parsePath(std::string_view& text, bool allowNull) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  bool bracketed = !text.empty() && text.front() == '<';
  if (bracketed) text.remove_prefix(1);
  core::Address addr;

  if (bracketed && !text.empty() && text.front() == '>') {
    text.remove_prefix(1);
    if (!allowNull) return syntax("Bad address syntax: empty address");
    addr.null = true;
    return addr;
  }
  // Source route "@a,@b:" (RFC 5321 4.1.2): obsolete, accepted and dropped as the RFC asks.
  if (!text.empty() && text.front() == '@') {
    auto colon = text.find(':');
    auto stop = text.find_first_of(bracketed ? ">" : " ");
    if (colon == std::string_view::npos || (stop != std::string_view::npos && colon > stop))
      return syntax("Bad address syntax: malformed source route");
    std::string_view route = text.substr(0, colon);
    size_t pos = 0;
    while (pos < route.size()) {
      if (route[pos] != '@') return syntax("Bad address syntax: malformed source route");
      auto comma = route.find(',', pos);
      auto dom = route.substr(
          pos + 1, comma == std::string_view::npos ? std::string_view::npos : comma - pos - 1);
      if (!validDomain(dom)) return syntax("Bad address syntax: malformed source route");
      if (comma == std::string_view::npos) break;
      pos = comma + 1;
    }
    addr.routed = true;
    text.remove_prefix(colon + 1);
  }
  // Local part: a dot-string, a quoted string, or (as Postfix accepts, RFC 5322 obs-local-part)
  // a mix of both such as much."more unusual". Quoted pairs are tolerated outside quotes too.
  while (!text.empty()) {
    char c = text.front();
    if (c == '"') {
      addr.quotedLocal = true;
      text.remove_prefix(1);
      bool closed = false;
      while (!text.empty()) {
        char q = text.front();
        text.remove_prefix(1);
        if (isControl(q)) return syntax("Bad address syntax: control character in local part");
        if (q == '\\') {
          if (text.empty()) break;
          if (isControl(text.front()))
            return syntax("Bad address syntax: control character in local part");
          addr.local.push_back(text.front());
          text.remove_prefix(1);
        } else if (q == '"') {
          closed = true;
          break;
        } else {
          addr.local.push_back(q);
        }
      }
      if (!closed) return syntax("Bad address syntax: unterminated quoted local part");
      continue;
    }
    if (c == '@' || c == '>' || c == ' ' || c == '<' || c == '(' || c == ')' || c == ',' ||
        c == ':' || c == ';' || c == '[' || c == ']')
      break;
    text.remove_prefix(1);
    if (c == '\\') {
      if (text.empty()) return syntax("Bad address syntax");
      c = text.front();
      text.remove_prefix(1);
    }
    if (isControl(c)) return syntax("Bad address syntax: control character in local part");
    addr.local.push_back(c);
  }
  if (addr.local.empty() && !addr.quotedLocal)
    return syntax("Bad address syntax: empty local part");
  if (!text.empty() && text.front() == '@') {
    text.remove_prefix(1);
    size_t end = 0;
    if (!text.empty() && text.front() == '[') {
      end = text.find(']');
      end = end == std::string_view::npos ? text.size() : end + 1;
    } else {
      end = std::min(text.find_first_of(bracketed ? ">" : " "), text.size());
    }
    addr.domain = std::string(text.substr(0, end));
    text.remove_prefix(end);
    if (!validDomain(addr.domain))
      return syntax("Bad address syntax: invalid domain '" + addr.domain + "'");
  } else if (upper(addr.local) != "POSTMASTER" || addr.quotedLocal) {
    return syntax("Bad address syntax: missing domain");
  }
  if (bracketed) {
    if (text.empty() || text.front() != '>') return syntax("Bad address syntax: missing '>'");
    text.remove_prefix(1);
  }
  if (!text.empty() && text.front() != ' ')
    return syntax("Bad address syntax: garbage after address");
  return addr;
}

ParseResult parseCommand(std::string_view line) {
  auto sp = line.find(' ');
  std::string verbText(line.substr(0, sp));
  Command cmd;
  cmd.verb = verbOf(upper(verbText));
  cmd.verbText = verbText;
  if (sp != std::string_view::npos) cmd.argument = std::string(line.substr(sp + 1));

  if (cmd.verb != Verb::Mail && cmd.verb != Verb::Rcpt) return cmd;

  std::string_view rest = line.substr(std::min(sp, line.size()));
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  const std::string_view keyword = cmd.verb == Verb::Mail ? "FROM:" : "TO:";
  if (!iequalsPrefix(rest, keyword))
    return makeReply(
        501, "5.5.4",
        cmd.verb == Verb::Mail ? "Syntax: MAIL FROM:<address>" : "Syntax: RCPT TO:<address>");
  rest.remove_prefix(keyword.size());
  auto path = parsePath(rest, cmd.verb == Verb::Mail);
  if (auto* err = std::get_if<Reply>(&path)) return *err;
  cmd.address = std::get<core::Address>(std::move(path));

  // ESMTP parameters: keyword[=value] separated by spaces.
  while (!rest.empty()) {
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (rest.empty()) break;
    auto end = std::min(rest.find(' '), rest.size());
    std::string_view param = rest.substr(0, end);
    rest.remove_prefix(end);
    auto eq = param.find('=');
    std::string key = upper(param.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : std::string(param.substr(eq + 1));
    bool keyOk = !key.empty() && std::isalnum(static_cast<unsigned char>(key[0])) &&
                 std::all_of(key.begin(), key.end(),
                             [](unsigned char c) { return std::isalnum(c) || c == '-'; });
    if (!keyOk || (eq != std::string_view::npos && value.empty()))
      return makeReply(501, "5.5.4", "Bad parameter syntax: " + std::string(param));
    cmd.params.emplace_back(std::move(key), std::move(value));
  }
  return cmd;
}

}  // namespace portcullis::smtp
