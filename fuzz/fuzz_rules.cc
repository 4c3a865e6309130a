// Rule files: any bytes parse into rules or errors naming file and line; whatever compiles
// scans a message without crashing, and the SpamAssassin rendering of that message holds.
#include <cstdint>
#include <string>

#include "gateway/content/sa_text.h"
#include "rules/engine/compiled_rules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  // The input is a rule file; its last line, if it starts with "M:", is also the message body.
  portcullis::rules::RuleFileParser parser;
  parser.addText(input, "fuzz.cf");
  auto parsed = parser.finish();
  for (const auto& e : parsed.errors)
    if (e.file != "fuzz.cf" || e.line <= 0) __builtin_trap();
  std::string error;
  auto compiled = portcullis::rules::CompiledRules::compile(std::move(parsed), {}, &error);
  if (!compiled) return 0;
  std::string raw =
      "From: a@example.com\r\nSubject: fuzz\r\nContent-Type: text/html\r\n\r\n" + input;
  auto message = portcullis::mime::parseMessage(raw);
  portcullis::content::SaMessageText text(raw, message);
  for (const auto& line : text.body())
    if (line.size() > 2048 + 4) __builtin_trap();  // lines are cut at 2048 bytes
  auto result = compiled->scan(text, true);
  for (const auto& h : result.hits)
    if (h.rule >= compiled->rules().size() || h.count <= 0) __builtin_trap();
  return 0;
}
