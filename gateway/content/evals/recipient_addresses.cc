#include "gateway/content/evals/recipient_addresses.h"

#include <cctype>
#include <set>

#include "gateway/content/evals/pcre_pattern.h"

namespace portcullis::content::evals {
namespace {

void add(std::vector<std::string>& out, const std::vector<std::string>& values) {
  for (std::string v : values) {
    if (v.ends_with('\n')) v.pop_back();
    out.push_back(std::move(v));
  }
}

// Util::is_fqdn_valid: a dotted name of 1-63 character labels of letters, digits, '_' and '-'
// (no label starting or ending with '-'), 255 characters at most.
bool isFqdnValid(std::string_view host) {
  if (host.empty() || host.size() > 255 || host.find('.') == std::string_view::npos) return false;
  size_t start = 0;
  while (start <= host.size()) {
    size_t dot = host.find('.', start);
    std::string_view label =
        host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return false;
    for (char c : label)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

}  // namespace

std::vector<std::string> allToAddresses(const EvalContext& ctx) {
  std::vector<std::string> addrs;
  add(addrs, ctx.getAll("Resent-To:first:addr"));
  add(addrs, ctx.getAll("Resent-Cc:first:addr"));
  if (addrs.empty()) {
    static const auto forClause = PcrePattern::compile(R"( for <?(\S+\@(\S+?))>?;)", false);
    std::vector<std::string> received = ctx.getAll("Received");
    for (size_t i = 0; i < received.size() && i < 3; ++i) {
      auto m = forClause->find(received[i]);
      if (!m) continue;
      std::string address(m->group1);
      std::string host = address.substr(address.rfind('@') + 1);
      // The lazy host stops before an optional '>' and the ';'.
      if (!host.empty() && host.back() == '>') host.pop_back();
      if (!address.empty() && address.back() == '>') address.pop_back();
      if (isFqdnValid(host)) addrs.push_back(address);
    }
    for (const char* header : {"To", "Apparently-To", "Delivered-To", "Envelope-Recipients",
                               "Apparently-Resent-To", "X-Envelope-To", "Envelope-To",
                               "X-Delivered-To", "X-Original-To", "X-Rcpt-To", "X-Real-To", "Cc"})
      add(addrs, ctx.getAll(std::string(header) + ":addr"));
  }
  std::vector<std::string> unique;
  std::set<std::string> seen;
  for (auto& a : addrs)
    if (seen.insert(a).second) unique.push_back(std::move(a));
  return unique;
}

}  // namespace portcullis::content::evals
