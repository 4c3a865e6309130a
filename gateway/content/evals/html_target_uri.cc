#include "gateway/content/evals/html_target_uri.h"

#include <optional>

namespace portcullis::content::evals {

namespace {

using Piece = std::optional<std::string>;

struct UriParts {
  Piece scheme, authority;
  std::string path;
  Piece query, fragment;
};

// m|^(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?|
UriParts parseUri(std::string_view u) {
  UriParts p;
  size_t i = 0;
  size_t colon = u.find_first_of(":/?#");
  if (colon != std::string_view::npos && colon > 0 && u[colon] == ':') {
    p.scheme = std::string(u.substr(0, colon));
    i = colon + 1;
  }
  if (u.compare(i, 2, "//") == 0) {
    size_t end = u.find_first_of("/?#", i + 2);
    if (end == std::string_view::npos) end = u.size();
    p.authority = std::string(u.substr(i + 2, end - i - 2));
    i = end;
  }
  size_t end = u.find_first_of("?#", i);
  if (end == std::string_view::npos) end = u.size();
  p.path = std::string(u.substr(i, end - i));
  i = end;
  if (i < u.size() && u[i] == '?') {
    end = u.find('#', i + 1);
    if (end == std::string_view::npos) end = u.size();
    p.query = std::string(u.substr(i + 1, end - i - 1));
    i = end;
  }
  if (i < u.size() && u[i] == '#') p.fragment = std::string(u.substr(i + 1));
  return p;
}

// _remove_dot_segments, step by step as HTML.pm writes it.
std::string removeDotSegments(std::string input) {
  std::string output;
  if (input.compare(0, 2, "./") == 0)
    input.replace(0, 2, "/");
  else if (input.compare(0, 3, "../") == 0)
    input.replace(0, 3, "/");
  auto dropLastSegment = [&output] {
    size_t slash = output.rfind('/');
    output.resize(slash == std::string::npos ? 0 : slash);
  };
  while (!input.empty() && input != "0") {  // Perl's while ($input) is false for "0"
    if (input == "/." || input.compare(0, 3, "/./") == 0) {
      input.replace(0, input == "/." ? 2 : 3, "/");
    } else if (input == "/.." || input.compare(0, 4, "/../") == 0) {
      input.replace(0, input == "/.." ? 3 : 4, "/");
      dropLastSegment();
    } else {
      size_t end = input.find('/', input[0] == '/' ? 1 : 0);
      if (end == std::string::npos) end = input.size();
      output += input.substr(0, end);
      input.erase(0, end);
    }
  }
  return output;
}

std::string mergePaths(const Piece& baseAuthority, const std::string& basePath,
                       const std::string& relativePath) {
  if (baseAuthority && basePath.empty()) return "/" + relativePath;
  size_t slash = basePath.rfind('/');
  return (slash == std::string::npos ? std::string() : basePath.substr(0, slash + 1)) +
         relativePath;
}

bool startsWithNoCase(const std::string& s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

// ^www\d*\. or ^ftp\d*\. (case-insensitive)
bool hostLooksLike(const std::string& authority, std::string_view word) {
  if (!startsWithNoCase(authority, word)) return false;
  size_t i = word.size();
  while (i < authority.size() && authority[i] >= '0' && authority[i] <= '9') ++i;
  return i < authority.size() && authority[i] == '.';
}

}  // namespace

std::string htmlTargetUri(std::string_view base, std::string_view relative) {
  UriParts r = parseUri(relative);
  const UriParts b = parseUri(base);
  UriParts t;
  if (r.scheme && b.scheme && *r.scheme == *b.scheme) r.scheme.reset();
  if (r.scheme) {
    t.scheme = r.scheme;
    t.authority = r.authority;
    t.path = removeDotSegments(r.path);
    t.query = r.query;
  } else {
    if (r.authority) {
      t.authority = r.authority;
      t.path = removeDotSegments(r.path);
      t.query = r.query;
    } else {
      if (r.path.empty()) {
        t.path = b.path;
        t.query = r.query ? r.query : b.query;
      } else {
        t.path = r.path[0] == '/' ? removeDotSegments(r.path)
                                  : removeDotSegments(mergePaths(b.authority, b.path, r.path));
        t.query = r.query;
      }
      t.authority = b.authority;
    }
    t.scheme = b.scheme;
  }
  t.fragment = r.fragment;

  std::string out;
  if (t.scheme && !t.scheme->empty() && *t.scheme != "0") {
    out += *t.scheme + ":";
  } else if (t.authority) {
    if (hostLooksLike(*t.authority, "www"))
      out += "http:";
    else if (hostLooksLike(*t.authority, "ftp"))
      out += "ftp:";
  }
  if (t.authority) out += "//" + *t.authority;
  out += t.path;
  if (t.query) out += "?" + *t.query;
  if (t.fragment) out += "#" + *t.fragment;
  return out;
}

}  // namespace portcullis::content::evals
