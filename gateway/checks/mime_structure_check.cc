#include "gateway/checks/mime_structure_check.h"

#include <algorithm>
#include <set>

namespace portcullis::checks {

std::map<std::string, double> defaultMimeScores() {
  return {
      {"MIME_MISSING_BOUNDARY", 1.0},     {"MIME_MISSING_END_BOUNDARY", 0.5},
      {"MIME_EMPTY_MULTIPART", 0.5},      {"MIME_BAD_BASE64", 0.5},
      {"MIME_BAD_QP", 0.2},               {"MIME_BAD_ENCODED_WORD", 0.5},
      {"MIME_8BIT_HEADER", 0.5},          {"MIME_BAD_CONTENT_TYPE", 0.5},
      {"MIME_BAD_PARAMETER", 0.2},        {"MIME_UNKNOWN_ENCODING", 0.5},
      {"MIME_UNKNOWN_CHARSET", 0.2},      {"MIME_NESTING_LIMIT", 2.0},
      {"MIME_PART_LIMIT", 2.0},           {"MIME_DECODED_LIMIT", 1.0},
      {"MIME_HTML_LIMIT", 1.0},           {"SCAN_TIME_LIMIT", 2.0},
      {"ATTACHMENT_EXECUTABLE", 4.0},     {"ATTACHMENT_DANGEROUS_NAME", 4.0},
      {"ATTACHMENT_TYPE_MISMATCH", 2.0},  {"MIME_BAD_COMPOSITE_ENCODING", 0.5},
  };
}

namespace {
bool executable(const std::string& sniffed) {
  return sniffed == "application/x-msdownload" || sniffed == "application/x-executable";
}

bool dangerousName(const std::string& filename) {
  static const std::set<std::string> kExtensions = {
      "exe", "scr", "com", "pif", "bat", "cmd", "vbs", "vbe", "js", "jse", "wsf", "wsh", "hta",
      "lnk", "msi", "cpl", "jar", "ps1", "iso", "img", "reg"};
  auto dot = filename.rfind('.');
  if (dot == std::string::npos) return false;
  std::string ext = filename.substr(dot + 1);
  while (!ext.empty() && (ext.back() == ' ' || ext.back() == '.')) ext.pop_back();  // "x.exe ." tricks
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return kExtensions.contains(ext);
}

// A declared type the sniffed one contradicts: a "PDF" that is a ZIP, an "image" that is HTML.
bool contradicts(const std::string& declared, const std::string& sniffed) {
  if (sniffed.empty() || declared == sniffed) return false;
  if (declared == "application/octet-stream" || declared.starts_with("application/vnd.") ||
      declared == "application/x-zip-compressed" || declared.starts_with("application/ms"))
    return executable(sniffed);  // generic labels only lie when they hide a program
  const auto family = [](const std::string& t) { return t.substr(0, t.find('/')); };
  return family(declared) != family(sniffed) || executable(sniffed) || declared == "application/pdf";
}
}  // namespace

double MimeStructureCheck::score(const std::string& symbol) const {
  auto it = settings_.scores.find(symbol);
  return it == settings_.scores.end() ? 0.1 : it->second;
}

void MimeStructureCheck::run(const core::CheckContext& ctx, core::StageOutcome& out,
                             std::function<void()> done) const {
  if (!ctx.tx) return done();
  const mime::Message& m = ctx.tx->mimeView(settings_.limits);
  for (const auto& a : m.anomalies) out.symbols.push_back({a, score(a), "", core::Stage::Data});
  std::set<std::string> once;
  auto add = [&](const std::string& symbol, std::string reason) {
    if (once.insert(symbol).second) out.symbols.push_back({symbol, score(symbol), std::move(reason), core::Stage::Data});
  };
  for (const auto& att : m.attachments) {
    const std::string name = att.filename.empty() ? "(unnamed)" : att.filename;
    if (executable(att.sniffedType)) add("ATTACHMENT_EXECUTABLE", name + " is a " + att.sniffedType);
    if (dangerousName(att.filename)) add("ATTACHMENT_DANGEROUS_NAME", name);
    if (contradicts(att.declaredType, att.sniffedType))
      add("ATTACHMENT_TYPE_MISMATCH", name + " declared " + att.declaredType + ", content " + att.sniffedType);
  }
  done();
}

}  // namespace portcullis::checks
