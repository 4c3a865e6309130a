// Character references in HTML text and attribute values, decoded as HTML::Parser decodes
// them for SpamAssassin (its "dtext" and attribute values): numeric references, and the named
// entities of HTML 4 (the Latin-1 set, the markup-significant ones and the common symbols),
// with or without the closing ';' when the name is followed by no letter or digit.
#pragma once
#include <string>
#include <string_view>

namespace portcullis::content::evals {

std::string decodeHtmlEntities(std::string_view text);

// Appends code point `cp` as UTF-8 (U+FFFD for surrogates and values past U+10FFFF).
void appendUtf8(std::string& out, unsigned long cp);

}  // namespace portcullis::content::evals
