#include "gateway/mime/sniff.h"

#include <cctype>

namespace portcullis::mime {

std::string sniffType(std::string_view b) {
  auto starts = [&](std::string_view magic, size_t at = 0) { return b.size() >= at + magic.size() && b.substr(at, magic.size()) == magic; };
  if (starts("%PDF-")) return "application/pdf";
  if (starts(std::string_view("PK\x03\x04", 4))) return "application/zip";  // also docx/xlsx/jar
  if (starts(std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))) return "application/x-ole-storage";
  if (starts("Rar!\x1A\x07")) return "application/vnd.rar";
  if (starts(std::string_view("7z\xBC\xAF\x27\x1C", 6))) return "application/x-7z-compressed";
  if (starts(std::string_view("\x1F\x8B", 2))) return "application/gzip";
  if (starts("MZ")) return "application/x-msdownload";
  if (starts("\x7F" "ELF")) return "application/x-executable";
  if (starts(std::string_view("\x89PNG\r\n\x1A\n", 8))) return "image/png";
  if (starts(std::string_view("\xFF\xD8\xFF", 3))) return "image/jpeg";
  if (starts("GIF87a") || starts("GIF89a")) return "image/gif";
  if (starts("RIFF") && starts("WEBP", 8)) return "image/webp";
  if (starts("{\\rtf")) return "application/rtf";
  if (starts("#!")) return "text/x-script";
  // HTML: a tag near the start, after optional white space / BOM.
  size_t i = starts("\xEF\xBB\xBF") ? 3 : 0;
  while (i < b.size() && i < 64 && std::isspace(static_cast<unsigned char>(b[i]))) ++i;
  if (i < b.size() && b[i] == '<') {
    std::string head;
    for (size_t j = i; j < b.size() && j < i + 16; ++j) head.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(b[j]))));
    if (head.starts_with("<html") || head.starts_with("<!doctype html") || head.starts_with("<script") ||
        head.starts_with("<head") || head.starts_with("<body"))
      return "text/html";
  }
  return "";
}

}  // namespace portcullis::mime
