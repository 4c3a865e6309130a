// Structured header values with parameters: Content-Type and Content-Disposition (RFC 2045
// 5.1, RFC 2183), including RFC 2231 continuations, charsets and percent-encoding.
#pragma once
#include <map>
#include <string>
#include <string_view>

namespace portcullis::mime {

struct ParamValue {
  std::string token;  // "text/plain", "attachment": lower-cased
  std::map<std::string, std::string> params;  // lower-cased names; values decoded to UTF-8
  bool malformed = false;
};

ParamValue parseParamValue(std::string_view value);

}  // namespace portcullis::mime
