// Content sniffing of attachments by their first bytes, to catch a declared type that lies.
#pragma once
#include <string>
#include <string_view>

namespace portcullis::mime {

// A MIME type from magic numbers, or "" when nothing is recognised.
std::string sniffType(std::string_view bytes);

}  // namespace portcullis::mime
