// The quarantine's file reader on arbitrary bytes (a file damaged on disk, or not ours), and a
// round trip: metadata written for fields cut from the input reads back field for field when
// the values are printable and unpadded, as everything the gateway writes is.
#include <cstdint>
#include <string>
#include <string_view>

#include "gateway/quarantine/quarantine_store.h"

using namespace portcullis::quarantine;

namespace {
bool plain(const std::string& s) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ' || s.find("  ") != std::string::npos)
    return false;
  for (unsigned char c : s)
    if (c < 0x21 && c != ' ') return false;
  for (unsigned char c : s)
    if (c >= 0x7f) return false;
  return s.find('<') == std::string::npos && s.find('>') == std::string::npos;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto parsed = parseFile(in)) {
    if (parsed->message.size() > in.size()) __builtin_trap();
  }
  // Fields: the input cut at '|'.
  std::string parts[6];
  size_t n = 0;
  for (char c : in) {
    if (c == '|') {
      if (++n == 6) break;
      continue;
    }
    parts[n] += c;
  }
  Entry e;
  e.id = parts[0];
  e.mailFrom = parts[1];
  e.recipients = {parts[2], parts[3]};
  e.helo = parts[4];
  e.symbols = parts[5];
  e.client = "192.0.2.1";
  e.decidedBy = "score";
  for (const auto* s : {&e.id, &e.mailFrom, &parts[2], &parts[3], &e.helo, &e.symbols})
    if (!plain(*s)) return 0;
  const std::string file = metadataBlock(e) + "Received: by test\r\n\r\nbody\r\n";
  auto back = parseFile(file);
  if (!back || back->entry.id != e.id || back->entry.mailFrom != e.mailFrom ||
      back->entry.recipients != e.recipients || back->entry.helo != e.helo ||
      back->entry.symbols != (e.symbols == "-" ? "" : e.symbols) ||
      back->message != "Received: by test\r\n\r\nbody\r\n")
    __builtin_trap();
  return 0;
}
