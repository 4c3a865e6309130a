#include "rules/engine/rule.h"

namespace portcullis::rules {

const char* targetName(Target t) {
  switch (t) {
    case Target::Header:
      return "header";
    case Target::Body:
      return "body";
    case Target::RawBody:
      return "rawbody";
    case Target::Uri:
      return "uri";
    case Target::Full:
      return "full";
    case Target::Meta:
      return "meta";
  }
  return "?";
}

std::string HeaderQuery::key() const {
  std::string k = name;
  if (raw) k += ":raw";
  if (addr) k += ":addr";
  if (displayName) k += ":name";
  if (first) k += ":first";
  if (last) k += ":last";
  if (anyPart) k = "mime:" + k;
  return k;
}

bool Rule::hasFlag(std::string_view f) const {
  for (const auto& t : tflags)
    if (t == f) return true;
  return false;
}

double Rule::score(int scoreSet) const {
  if (scores) return (*scores)[static_cast<size_t>(scoreSet & 3)];
  double s = name.rfind("T_", 0) == 0 ? 0.01 : 1.0;
  return hasFlag("nice") ? -s : s;
}

}  // namespace portcullis::rules
