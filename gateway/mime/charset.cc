#include "gateway/mime/charset.h"

#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cerrno>

namespace portcullis::mime {

namespace {
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

std::string normalizeName(std::string_view cs) {
  std::string n;
  for (char c : cs) n.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  while (!n.empty() && (n.back() == ' ' || n.back() == '"')) n.pop_back();
  while (!n.empty() && (n.front() == ' ' || n.front() == '"')) n.erase(n.begin());
  // Common aliases and mislabels seen in mail.
  if (n.empty() || n == "us-ascii" || n == "ascii" || n == "ansi_x3.4-1968") return "us-ascii";
  if (n == "utf8") return "utf-8";
  if (n == "latin1" || n == "latin-1") return "iso-8859-1";
  if (n == "ks_c_5601-1987") return "cp949";
  if (n == "x-sjis" || n == "shift-jis") return "shift_jis";
  if (n == "gb2312" || n == "x-gbk") return "gbk";  // a superset; mail labelled gb2312 often is gbk
  return n;
}

size_t utf8SequenceLength(const unsigned char* p, size_t avail) {
  unsigned char c = p[0];
  size_t len;
  uint32_t cp;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (avail < len) return 0;
  for (size_t i = 1; i < len; ++i) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;  // overlong, out of range, or a surrogate
  return len;
}
}  // namespace

std::string sanitizeUtf8(std::string_view bytes, bool* hadInvalid) {
  std::string out;
  out.reserve(bytes.size());
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t i = 0;
  while (i < bytes.size()) {
    size_t len = utf8SequenceLength(p + i, bytes.size() - i);
    if (len == 0) {
      out += kReplacement;
      if (hadInvalid) *hadInvalid = true;
      ++i;
    } else {
      out.append(bytes.substr(i, len));
      i += len;
    }
  }
  return out;
}

Converted toUtf8(std::string_view bytes, std::string_view charset) {
  Converted r;
  const std::string cs = normalizeName(charset);
  const bool ascii = std::all_of(bytes.begin(), bytes.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii && cs != "utf-16" && cs != "utf-16le" && cs != "utf-16be" && cs != "utf-7" &&
      cs != "utf-32") {
    r.utf8 = std::string(bytes);
    return r;
  }
  if (cs == "utf-8" || cs == "us-ascii") {
    r.utf8 = sanitizeUtf8(bytes, &r.invalidBytes);
    return r;
  }
  iconv_t cd = iconv_open("UTF-8", cs.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    // Unknown label: UTF-8 if it is valid UTF-8, else treat it as Windows-1252 like browsers do.
    r.unknownCharset = true;
    bool invalid = false;
    std::string asUtf8 = sanitizeUtf8(bytes, &invalid);
    if (!invalid) {
      r.utf8 = std::move(asUtf8);
      return r;
    }
    cd = iconv_open("UTF-8", "WINDOWS-1252");
    if (cd == reinterpret_cast<iconv_t>(-1)) {
      r.utf8 = std::move(asUtf8);
      return r;
    }
  }
  std::string out;
  out.resize(bytes.size() * 4 + 16);
  char* inPtr = const_cast<char*>(bytes.data());
  size_t inLeft = bytes.size();
  char* outPtr = out.data();
  size_t outLeft = out.size();
  while (inLeft > 0) {
    size_t rc = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft);
    if (rc != static_cast<size_t>(-1)) break;
    if (errno == E2BIG) {
      size_t used = static_cast<size_t>(outPtr - out.data());
      out.resize(out.size() * 2);
      outPtr = out.data() + used;
      outLeft = out.size() - used;
      continue;
    }
    // EILSEQ or EINVAL: replace one byte and go on.
    r.invalidBytes = true;
    if (outLeft < kReplacement.size()) {
      size_t used = static_cast<size_t>(outPtr - out.data());
      out.resize(out.size() * 2);
      outPtr = out.data() + used;
      outLeft = out.size() - used;
    }
    std::copy(kReplacement.begin(), kReplacement.end(), outPtr);
    outPtr += kReplacement.size();
    outLeft -= kReplacement.size();
    ++inPtr;
    --inLeft;
    iconv(cd, nullptr, nullptr, nullptr, nullptr);  // reset shift state
  }
  out.resize(static_cast<size_t>(outPtr - out.data()));
  iconv_close(cd);
  // iconv's output is trusted no further than its input: glibc canonicalises labels (a
  // mangled "utf-8" becomes UTF-8) and its UTF-8 decoder passes sequences beyond U+10FFFF.
  // Valid UTF-8 is this function's promise, so it is checked here, where every path ends.
  bool invalid = false;
  r.utf8 = sanitizeUtf8(out, &invalid);
  r.invalidBytes = r.invalidBytes || invalid;
  return r;
}

}  // namespace portcullis::mime
