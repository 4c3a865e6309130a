// RFC 5322 header sections: splitting, unfolding, RFC 2047 encoded words.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::mime {

struct Header {
  std::string name;   // as written
  std::string raw;    // the value as written, folded, without the final line end
  std::string value;  // unfolded, surrounding white space trimmed
  std::string decoded;  // value with RFC 2047 encoded words decoded, as UTF-8
  // Written in a form readers disagree on: white space or a fold between the name and the colon
  // (RFC 5322 4.5 obsolete syntax), or the section's first line indented. Postfix and most
  // clients read it as this field; a strict reader does not see it at all.
  bool obsolete = false;
};

struct HeaderSection {
  std::vector<Header> fields;
  size_t bodyOffset = 0;  // where the body starts in the input
  bool eightBit = false;  // raw 8-bit bytes in a header (not allowed without SMTPUTF8)
  // A line that is neither a field nor a continuation: skipped when field lines follow it before
  // the blank line (the fields after it are what a mail client shows), else where the body starts.
  bool malformed = false;
  std::vector<std::string> skippedLines;  // the skipped ones, as written (the first 16)
  bool badEncodedWord = false;
};

// Reads logical fields (a line and its continuation lines), each split at its first colon.
HeaderSection parseHeaderSection(std::string_view text);

// Decodes RFC 2047 encoded words (charset converted to UTF-8); the rest is kept, with raw 8-bit
// bytes treated as UTF-8 when valid and as Windows-1252 otherwise.
std::string decodeEncodedWords(std::string_view value, bool* malformed = nullptr);

bool iequals(std::string_view a, std::string_view b);
// Without leading and trailing blanks, CR and LF.
std::string_view trim(std::string_view s);
std::string lower(std::string_view s);

}  // namespace portcullis::mime
