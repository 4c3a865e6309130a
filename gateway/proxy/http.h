// The admin listener's HTTP/1.1: one request as it reads it (request line, header fields, a
// body of Content-Length bytes; bounded by the caller, parsing never throws) and a whole
// response.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace portcullis::proxy {

struct HttpRequest {
  std::string method;
  std::string path;                            // without the query
  std::string query;                           // after '?', undecoded
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  std::string header(const std::string& lowerName) const {
    auto it = headers.find(lowerName);
    return it == headers.end() ? "" : it->second;
  }
};

// Parses the head (through the blank line); nullopt when the request line is malformed.
std::optional<HttpRequest> parseRequestHead(std::string_view head);
// application/x-www-form-urlencoded (and query strings): the value of `key`, decoded.
std::string formValue(std::string_view form, std::string_view key);
// The value of cookie `name` in a Cookie header.
std::string cookieValue(std::string_view cookieHeader, std::string_view name);

// Status line, Content-Type, Content-Length, no caching, Connection: close, `extraHeaders`
// (each ending in CRLF), then the body unless `head`.
std::string httpResponse(int code, std::string_view reason, std::string_view contentType,
                         const std::string& body, const std::string& extraHeaders = "",
                         bool head = false);

}  // namespace portcullis::proxy
