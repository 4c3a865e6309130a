#include "rules/engine/message_text.h"

#include <strings.h>

namespace portcullis::rules {

std::vector<std::string> SimpleMessageText::header(const HeaderQuery& q) const {
  const bool bare = q.addr || q.displayName;  // SpamAssassin strips "\n" from these
  if (everyHeader) return {bare ? *everyHeader : *everyHeader + "\n"};
  std::vector<std::string> out;
  for (const auto& [name, value] : headers) {
    if (q.name == "ALL") {
      out.push_back(name + ": " + value + "\n");
    } else if (strcasecmp(name.c_str(), q.name.c_str()) == 0 ||
               (q.name == "ToCc" &&
                (strcasecmp(name.c_str(), "To") == 0 || strcasecmp(name.c_str(), "Cc") == 0))) {
      out.push_back(bare ? value : value + "\n");
    }
  }
  if (!out.empty() && q.first) out.resize(1);
  if (!out.empty() && q.last) out.erase(out.begin(), out.end() - 1);
  return out;
}

}  // namespace portcullis::rules
