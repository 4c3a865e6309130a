#include "gateway/auth/auth_results.h"

#include "gateway/core/text.h"
#include "gateway/mime/headers.h"

namespace portcullis::auth {

namespace {

using core::lowerAscii;

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

namespace {

// Lower case without trailing dots: "GW.Test." and "gw.test" name the same host. Blanks and
// no-break spaces (U+00A0, or a lone 0xA0 byte) around it are what a lenient reader skips.
std::string normalisedId(std::string_view id) {
  auto blankAt = [&](bool front) -> size_t {
    if (id.empty()) return 0;
    const char c = front ? id.front() : id.back();
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\xa0') {
      if (c == '\xa0' && !front && id.size() >= 2 && id[id.size() - 2] == '\xc2') return 2;
      return 1;
    }
    if (front && id.size() >= 2 && id[0] == '\xc2' && id[1] == '\xa0') return 2;
    return 0;
  };
  for (size_t n; (n = blankAt(true)) > 0;) id.remove_prefix(n);
  for (size_t n; (n = blankAt(false)) > 0;) id.remove_suffix(n);
  std::string out = lowerAscii(id);
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

}  // namespace

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
          if (value[i] == '\\' && i + 1 < value.size())
            ++i;  // a quoted-pair; a backslash at the very end quotes nothing
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
  std::string id;
  if (i < value.size() && value[i] == '"') {
    // RFC 8601 2.2: authserv-id = value, and a value may be a quoted-string.
    for (++i; i < value.size() && value[i] != '"'; ++i) {
      if (value[i] == '\\' && i + 1 < value.size()) ++i;
      id += value[i];
    }
  } else {
    size_t start = i;
    while (i < value.size() && value[i] != ';' && value[i] != ' ' && value[i] != '\t' &&
           value[i] != '(' && value[i] != '\r' && value[i] != '\n')
      ++i;
    id = value.substr(start, i - start);
  }
  // Not valid in an authserv-id, but a reader that decodes RFC 2047 everywhere would show
  // (and a careless filter match) the decoded name: judged by what it decodes to.
  if (id.find("=?") != std::string::npos) id = mime::decodeEncodedWords(id);
  return normalisedId(id);
}

bool claimsAuthservId(std::string_view value, std::string_view authservId) {
  const std::string id = authservIdOf(value);
  return !id.empty() && id == normalisedId(authservId);
}

bool isMangledAuthResultsName(std::string_view name) {
  static constexpr std::string_view kName = "authentication-results";
  if (name.size() < kName.size() || !mime::iequals(name.substr(0, kName.size()), kName))
    return false;
  return name.substr(kName.size()).find_first_not_of(" \t") != std::string_view::npos;
}

ParsedAuthResults parseAuthResults(std::string_view value) {
  ParsedAuthResults out;
  size_t i = 0;
  std::string comment;  // the last comment skipped, kept for the entry it follows
  auto skipCfws = [&] {
    while (i < value.size()) {
      const char c = value[i];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        ++i;
      } else if (c == '(') {
        int depth = 0;
        comment.clear();
        for (; i < value.size(); ++i) {
          if (value[i] == '\\' && i + 1 < value.size()) {
            comment += value[++i];
          } else if (value[i] == '(') {
            if (depth++ > 0) comment += '(';
          } else if (value[i] == ')') {
            if (--depth == 0) {
              ++i;
              break;
            }
            comment += ')';
          } else {
            comment += value[i];
          }
        }
      } else {
        break;
      }
    }
  };
  // A token, or a quoted-string's content.
  auto word = [&]() -> std::string {
    std::string w;
    if (i < value.size() && value[i] == '"') {
      for (++i; i < value.size() && value[i] != '"'; ++i) {
        if (value[i] == '\\' && i + 1 < value.size()) ++i;
        w += value[i];
      }
      if (i < value.size()) ++i;
      return w;
    }
    while (i < value.size() && value[i] != ';' && value[i] != '=' && value[i] != ' ' &&
           value[i] != '\t' && value[i] != '(' && value[i] != '\r' && value[i] != '\n' &&
           value[i] != '"')
      w += value[i++];
    return w;
  };
  auto toNextSemicolon = [&] {
    while (i < value.size() && value[i] != ';') ++i;
  };

  skipCfws();
  out.authservId = lowerAscii(word());
  if (out.authservId.empty()) return out;
  skipCfws();
  // An optional authres-version after the authserv-id.
  if (i < value.size() && value[i] != ';') {
    word();
    skipCfws();
  }
  while (i < value.size()) {
    if (value[i] != ';') {  // junk: skip to the next result
      toNextSemicolon();
      continue;
    }
    ++i;
    skipCfws();
    std::string method = lowerAscii(word());
    if (auto slash = method.find('/'); slash != std::string::npos) method.resize(slash);
    skipCfws();
    if (i < value.size() && value[i] == '/') {  // "dkim (c) / 1 (c) =": CFWS around the version
      ++i;
      skipCfws();
      word();
      skipCfws();
    }
    if (method.empty() || method == "none" || i >= value.size() || value[i] != '=') {
      toNextSemicolon();
      continue;
    }
    ++i;
    skipCfws();
    comment.clear();
    AuthResultEntry e;
    e.method = method;
    e.result = lowerAscii(word());
    skipCfws();
    e.comment = comment;
    // reason= and ptype.property=value pairs up to the next ';'.
    while (i < value.size() && value[i] != ';') {
      std::string name = lowerAscii(word());
      skipCfws();
      // RFC 8601 B.7: "policy (c) . (c) expired" is ptype.property with CFWS around the dot.
      if (!name.empty() && i < value.size() && value[i] == '.') {
        ++i;
        skipCfws();
        name += '.';
      }
      if (name.ends_with('.')) {
        name += lowerAscii(word());
        skipCfws();
      }
      if (name.empty() || i >= value.size() || value[i] != '=') {
        if (name.empty() && i < value.size() && value[i] != ';') ++i;  // a stray character
        continue;
      }
      ++i;
      skipCfws();
      std::string v = word();
      skipCfws();
      if (name != "reason") e.properties.emplace_back(name, v);
    }
    if (!e.result.empty()) out.entries.push_back(std::move(e));
  }
  return out;
}

int removeClaimedAuthResults(std::string& message, const std::string& authservId) {
  int removed = 0;
  size_t pos = 0;
  // Only the header section is walked; a claimed field is cut out where it stands, so a
  // message without one (nearly every message) is neither copied nor changed.
  while (pos < message.size() && message.compare(pos, 2, "\r\n") != 0) {
    size_t fieldEnd = pos;
    do {  // this line and its continuation lines
      size_t e = message.find("\r\n", fieldEnd);
      fieldEnd = e == std::string::npos ? message.size() : e + 2;
    } while (fieldEnd < message.size() && (message[fieldEnd] == ' ' || message[fieldEnd] == '\t'));
    std::string_view field(message.data() + pos, fieldEnd - pos);
    auto colon = field.find(':');
    // Without a colon the whole line is the name a lenient reader might see.
    std::string_view name =
        field.substr(0, colon == std::string_view::npos ? field.find("\r\n") : colon);
    const bool real =
        colon != std::string_view::npos && lowerAscii(mime::trim(name)) == "authentication-results";
    if ((real && claimsAuthservId(field.substr(colon + 1), authservId)) ||
        isMangledAuthResultsName(name)) {
      message.erase(pos, fieldEnd - pos);
      ++removed;
    } else {
      pos = fieldEnd;
    }
  }
  return removed;
}

}  // namespace portcullis::auth
