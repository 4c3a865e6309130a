// Client access list files: any text loads or yields errors with line numbers, and the file
// means what its lines mean one by one: the same errors at the same lines, and the first line
// whose range holds an address decides for it.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/checks/cidr_table.h"

using namespace portcullis;

namespace {
using Parsed = std::variant<checks::CidrTable, std::vector<core::SourceError>>;

// Addresses to look up: fixed ones and some made of the input's own bytes.
std::vector<core::IpAddress> probes(std::string_view in) {
  std::vector<std::string> texts{"192.0.2.1", "0.0.0.0", "255.255.255.255", "::1", "2001:db8::1"};
  if (in.size() >= 4) {
    std::string v4;
    for (int i = 0; i < 4; ++i)
      v4 += (i ? "." : "") + std::to_string(static_cast<uint8_t>(in[in.size() - 4 + i]));
    texts.push_back(v4);
  }
  std::vector<core::IpAddress> out;
  for (const auto& t : texts)
    if (auto a = core::IpAddress::parse(t)) out.push_back(*a);
  return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  Parsed whole = checks::CidrTable::parse(in, "fuzz");
  // The same text, one line at a time, as the parser splits it (on LF).
  std::vector<Parsed> lines;
  for (std::string_view rest = in; !rest.empty();) {
    auto nl = rest.find('\n');
    lines.push_back(checks::CidrTable::parse(rest.substr(0, nl), "fuzz"));
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
  }
  std::vector<core::SourceError> lineErrors;
  for (size_t i = 0; i < lines.size(); ++i)
    if (auto* errs = std::get_if<std::vector<core::SourceError>>(&lines[i]))
      for (auto e : *errs) {
        if (e.line != 1) __builtin_trap();
        e.line = static_cast<int>(i + 1);
        lineErrors.push_back(e);
      }
  if (auto* errs = std::get_if<std::vector<core::SourceError>>(&whole)) {
    if (errs->size() != lineErrors.size()) __builtin_trap();
    for (size_t i = 0; i < errs->size(); ++i) {
      const auto& e = (*errs)[i];
      if (e.line <= 0 || e.file != "fuzz" || e.line != lineErrors[i].line ||
          e.message != lineErrors[i].message)
        __builtin_trap();
    }
    return 0;
  }
  if (!lineErrors.empty()) __builtin_trap();
  const auto& table = std::get<checks::CidrTable>(whole);
  size_t entries = 0;
  for (const auto& l : lines) entries += std::get<checks::CidrTable>(l).size();
  if (entries != table.size()) __builtin_trap();
  for (const auto& a : probes(in)) {
    const checks::AccessEntry* want = nullptr;
    int wantLine = 0;
    for (size_t i = 0; i < lines.size() && !want; ++i)
      if ((want = std::get<checks::CidrTable>(lines[i]).find(a)))
        wantLine = static_cast<int>(i + 1);
    const checks::AccessEntry* got = table.find(a);
    if (!want != !got) __builtin_trap();
    if (got && (got->line != wantLine || got->action != want->action || got->text != want->text ||
                got->range.str() != want->range.str()))
      __builtin_trap();
  }
  return 0;
}
