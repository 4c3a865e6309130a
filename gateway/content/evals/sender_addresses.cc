#include "gateway/content/evals/sender_addresses.h"

#include <set>

namespace portcullis::content::evals {
namespace {

std::string stripNewline(std::string s) {
  if (s.ends_with('\n')) s.pop_back();
  return s;
}

std::string squeezeDots(const std::string& s) {
  std::string out;
  for (char c : s)
    if (!(c == '.' && !out.empty() && out.back() == '.')) out += c;
  return out;
}

}  // namespace

std::vector<std::string> allFromAddresses(const EvalContext& ctx) {
  std::vector<std::string> addresses;
  for (const std::string& a : ctx.getAll("Resent-From:first:addr"))
    addresses.push_back(stripNewline(a));
  if (addresses.empty()) {
    for (const char* request : {"From:addr", "Envelope-Sender:addr", "Resent-Sender:addr",
                                "X-Envelope-From:addr", "EnvelopeFrom:addr"})
      for (const std::string& a : ctx.getAll(request)) {
        std::string address = stripNewline(a);
        if (!address.empty()) addresses.push_back(squeezeDots(address));
      }
  }
  std::vector<std::string> unique;
  std::set<std::string> seen;
  for (auto& a : addresses)
    if (seen.insert(a).second) unique.push_back(std::move(a));
  return unique;
}

}  // namespace portcullis::content::evals
