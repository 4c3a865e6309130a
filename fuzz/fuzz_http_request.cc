// The admin listener's request reader on arbitrary bytes: the request head, form bodies and
// Cookie headers. Invariants: it returns; a parsed path never contains the query; a form
// value written percent-encoded reads back as written.
#include <cstdint>
#include <string>
#include <string_view>

#include "gateway/proxy/http.h"

using namespace portcullis::proxy;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto r = parseRequestHead(in)) {
    if (r->path.find('?') != std::string::npos) __builtin_trap();
    formValue(r->query, "id");
    cookieValue(r->header("cookie"), "portcullis_console");
  }
  formValue(in, "password");
  cookieValue(in, "portcullis_console");
  std::string encoded;
  static const char* hex = "0123456789ABCDEF";
  for (unsigned char c : in) {
    encoded += '%';
    encoded += hex[c >> 4];
    encoded += hex[c & 15];
  }
  if (formValue("a=1&id=" + encoded + "&b=2", "id") != in) __builtin_trap();
  return 0;
}
