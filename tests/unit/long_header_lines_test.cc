// Header lines over 998 bytes: refused, or folded so that our own parser reads the same fields
// and values from the folded message as from the original.
#include <catch2/catch.hpp>

#include "gateway/mime/headers.h"
#include "gateway/smtp/long_header_lines.h"

using portcullis::smtp::limitHeaderLines;
using portcullis::smtp::LongHeaderLines;

namespace {

std::string words(size_t n, const std::string& sep = " ") {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += (i ? sep : "") + "w" + std::to_string(i);
  return out;
}

// Every header line (up to the blank line) of `m`, without its CRLF.
std::vector<std::string> headerLines(const std::string& m) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < m.size()) {
    size_t nl = m.find("\r\n", pos);
    if (nl == std::string::npos || nl == pos) break;
    out.push_back(m.substr(pos, nl - pos));
    pos = nl + 2;
  }
  return out;
}

void checkSameFields(const std::string& before, const std::string& after) {
  auto a = portcullis::mime::parseHeaderSection(before);
  auto b = portcullis::mime::parseHeaderSection(after);
  REQUIRE(a.fields.size() == b.fields.size());
  for (size_t i = 0; i < a.fields.size(); ++i) {
    CHECK(a.fields[i].name == b.fields[i].name);
    CHECK(a.fields[i].value == b.fields[i].value);
    CHECK(a.fields[i].decoded == b.fields[i].decoded);
  }
  CHECK(a.malformed == b.malformed);
  CHECK(before.substr(a.bodyOffset) == after.substr(b.bodyOffset));
}

}  // namespace

TEST_CASE("header lines up to 998 bytes pass untouched in both modes") {
  const std::string line = "X-Pad: " + std::string(998 - 7, 'z');
  for (auto mode : {LongHeaderLines::Reject, LongHeaderLines::Fold}) {
    std::string m = "From: a@b.example\r\n" + line + "\r\n\r\n" + std::string(5000, 'b') + "\r\n";
    const std::string before = m;
    auto r = limitHeaderLines(m, mode);
    CHECK_FALSE(r.refusal);
    CHECK(r.folded == 0);
    CHECK(m == before);  // a long body line is not a header line
  }
}

TEST_CASE("reject mode refuses a 999-byte header line with 554 5.6.0 naming it") {
  std::string m = "From: a@b.example\r\nX-Pad: " + std::string(999 - 7, 'z') + "\r\n\r\nbody\r\n";
  const std::string before = m;
  auto r = limitHeaderLines(m, LongHeaderLines::Reject);
  REQUIRE(r.refusal);
  CHECK(r.refusal->code == 554);
  CHECK(r.refusal->enhanced == "5.6.0");
  CHECK(r.refusal->text.find("header line 2 is 999 bytes") != std::string::npos);
  CHECK(m == before);
}

TEST_CASE("fold mode folds at white space and the parser reads the same fields") {
  const std::vector<std::string> messages = {
      "Subject: " + words(400) + "\r\nTo: b@c.example\r\n\r\nbody\r\n",
      // Tabs and runs of white space, a continuation line that is itself too long, and
      // trailing white space that must not become a line of its own.
      "From: a@b.example\r\nX-A: " + words(300, " \t ") + "   \r\n\t" + words(300) +
          "\r\n\r\nbody\r\n",
      // Encoded words: their decoded value must not change either.
      "Subject: " + words(200, " =?UTF-8?B?w7Y=?= ") + "\r\n\r\nbody\r\n",
      // The only white space is right after the colon: folded there, the value unchanged.
      "X-B: " + std::string(995, 'q') + "\r\n\r\n",
      // No blank line: the whole message is header.
      "X-C: " + words(500) + "\r\n",
  };
  for (const auto& original : messages) {
    INFO(original.substr(0, 60));
    std::string m = original;
    auto r = limitHeaderLines(m, LongHeaderLines::Fold);
    REQUIRE_FALSE(r.refusal);
    CHECK(r.folded >= 1);
    for (const auto& line : headerLines(m)) {
      CHECK(line.size() <= 998);
      CHECK(line.find_first_not_of(" \t") != std::string::npos);
    }
    checkSameFields(original, m);
    // Folding only ever inserted a CRLF before white space.
    std::string unfolded;
    for (size_t i = 0; i < m.size(); ++i) {
      if (m.compare(i, 2, "\r\n") == 0 && i + 2 < m.size() &&
          (m[i + 2] == ' ' || m[i + 2] == '\t') && i + 2 <= m.find("\r\n\r\n")) {
        ++i;
        continue;
      }
      unfolded += m[i];
    }
    std::string expected;
    // The original's own folds stay; compare after removing the same kind of breaks.
    for (size_t i = 0; i < original.size(); ++i) {
      if (original.compare(i, 2, "\r\n") == 0 && i + 2 < original.size() &&
          (original[i + 2] == ' ' || original[i + 2] == '\t') &&
          i + 2 <= original.find("\r\n\r\n")) {
        ++i;
        continue;
      }
      expected += original[i];
    }
    CHECK(unfolded == expected);
  }
}

TEST_CASE("fold mode refuses what it cannot fold without changing it") {
  const std::vector<std::string> messages = {
      "X-Pad: " + std::string(1200, 'z') + "\r\n\r\n",
      // White space only inside the field name's part (before the colon) does not count.
      "X-Pad" + std::string(3, ' ') + ":" + std::string(1200, 'z') + "\r\n\r\n",
      // A fold would leave a line of white space only.
      "X-Pad: a" + std::string(1200, ' ') + "\r\n\r\n",
      // Space early, then more than 998 bytes with none.
      "X-Pad: a " + std::string(1000, 'z') + "\r\n\r\n",
  };
  for (const auto& original : messages) {
    std::string m = original;
    auto r = limitHeaderLines(m, LongHeaderLines::Fold);
    REQUIRE(r.refusal);
    CHECK(r.refusal->code == 554);
    CHECK(r.refusal->enhanced == "5.6.0");
    CHECK(r.refusal->text.find("no white space to fold at") != std::string::npos);
    CHECK(r.folded == 0);
    CHECK(m == original);
  }
}

TEST_CASE("a malformed header line: what follows is judged as the parser reads it") {
  // A field after the malformed line is still a header field (mail clients show it), so its
  // length counts.
  std::string m =
      "From: a@b.example\r\nnot a header\r\nX-Pad: " + std::string(1200, 'z') + "\r\n\r\nbody\r\n";
  auto r = limitHeaderLines(m, LongHeaderLines::Reject);
  CHECK(r.refusal);
  // No field follows the malformed line: the body starts there, and body lines are not limited.
  m = "From: a@b.example\r\nnot a header\r\n" + std::string(1200, 'z') + "\r\n\r\nbody\r\n";
  const std::string before = m;
  r = limitHeaderLines(m, LongHeaderLines::Reject);
  CHECK_FALSE(r.refusal);
  CHECK(m == before);
}
