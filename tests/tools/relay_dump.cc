// Prints, for each message file, the relay analysis SpamAssassin's rules read:
// "FILE\tX-Spam-Relays-Trusted\tX-Spam-Relays-Untrusted". For tests/agreement/relays_agreement.py.
//   relay_dump [--rules DIR]... FILE...
#include <fstream>
#include <iostream>
#include <sstream>

#include "gateway/content/content_rules_check.h"
#include "gateway/content/relays/relay_analysis.h"
#include "gateway/mime/message.h"

using namespace portcullis;

int main(int argc, char** argv) {
  std::vector<std::string> ruleDirs, files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--rules" && i + 1 < argc)
      ruleDirs.push_back(argv[++i]);
    else
      files.push_back(a);
  }
  rules::RuleFileParser parser;
  for (const auto& d : ruleDirs) parser.addPath(d);
  rules::ParsedRules parsed = parser.finish();
  std::vector<std::string> errors;
  auto trust = content::relays::trustSettingsFrom(parsed.settings, {}, {}, &errors);
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string raw = ss.str();
    if (raw.rfind("From ", 0) == 0) raw.erase(0, raw.find('\n') + 1);
    mime::Message m = mime::parseMessage(raw);
    std::vector<std::string> received, originating;
    for (const auto& h : m.root.headers)
      if (mime::iequals(h.name, "Received")) received.push_back(h.value);
    for (const auto& name : trust.originatingHeaders)
      for (const auto& h : m.root.headers)
        if (mime::iequals(h.name, name)) {
          originating.push_back(h.value);
          break;
        }
    auto path = content::relays::analyseRelays(received, originating, trust, std::nullopt);
    std::cout << f << '\t' << content::relays::relaysText(path.trusted) << '\t'
              << content::relays::relaysText(path.untrusted) << '\n';
  }
  return 0;
}
