#include "gateway/content/evals/rbl_addresses.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "gateway/content/relays/received_parser.h"
#include "gateway/core/ip_address.h"
#include "rules/engine/full_regex.h"

namespace portcullis::content::evals {
namespace {

// SpamAssassin's default num_check_received: at most this many addresses per list.
constexpr size_t kCheckReceived = 9;

std::vector<std::string> uniquePublic(const std::vector<std::string>& ips) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& ip : ips) {
    if (ip.empty() || !seen.insert(ip).second || isPrivateAddress(ip)) continue;
    out.push_back(ip);
  }
  return out;
}

// The addresses in the configured originating_ip_headers (X-Originating-IP & co.), in order.
std::vector<std::string> originatingAddresses(const EvalContext& ctx) {
  std::vector<std::string> headers;
  for (const auto& s : ctx.settings().all()) {
    if (s.key == "clear_originating_ip_headers") headers.clear();
    if (s.key != "originating_ip_headers") continue;
    std::string_view v = s.value;
    for (size_t i = 0; i < v.size();) {
      while (i < v.size() && std::isspace(static_cast<unsigned char>(v[i]))) ++i;
      size_t start = i;
      while (i < v.size() && !std::isspace(static_cast<unsigned char>(v[i]))) ++i;
      if (i > start) headers.emplace_back(v.substr(start, i - start));
    }
  }
  std::vector<std::string> out;
  for (const auto& h : headers) {
    std::string value = ctx.get(h);
    for (size_t i = 0; i < value.size();) {
      auto isAddrChar = [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) || c == '.' || c == ':';
      };
      while (i < value.size() && !isAddrChar(value[i])) ++i;
      size_t start = i;
      while (i < value.size() && isAddrChar(value[i])) ++i;
      std::string token = value.substr(start, i - start);
      while (!token.empty() && (token.back() == '.' || token.back() == ':')) token.pop_back();
      if (token.size() >= 3 && core::IpAddress::parse(token)) out.push_back(token);
    }
  }
  return out;
}

bool isTrusted(const EvalContext& ctx, const std::string& ip) {
  const auto& trusted = ctx.relays().trusted;
  return std::any_of(trusted.begin(), trusted.end(),
                     [&](const relays::Relay& r) { return r.ip == ip; });
}

}  // namespace

bool isPrivateAddress(std::string_view text) {
  // One definition of SpamAssassin's IP_PRIVATE: the relay analysis's.
  return relays::isSaPrivateAddress(text);
}

std::vector<std::string> rblAddresses(const EvalContext& ctx, std::string_view set, bool nice) {
  const auto& path = ctx.relays();
  std::vector<std::string> fullIps, fullExternal;
  for (const auto& r : path.trusted)
    if (!r.internal) fullExternal.push_back(r.ip);
  for (const auto& r : path.untrusted) {
    fullIps.push_back(r.ip);
    fullExternal.push_back(r.ip);
  }
  std::vector<std::string> originating = originatingAddresses(ctx);
  std::vector<std::string> ips = uniquePublic(fullIps);
  // No untrusted address at all: every relay on the open Internet is trusted; nothing to ask.
  if (ips.empty() && originating.empty()) return {};

  auto untrustedOriginating = [&] {
    std::vector<std::string> out;
    for (const auto& ip : originating)
      if (!isTrusted(ctx, ip)) out.push_back(ip);
    return out;
  };
  auto endsWith = [&](std::string_view suffix) { return set.ends_with(suffix); };
  if (endsWith("-notfirsthop") || endsWith("-lastexternal")) {
    ips = uniquePublic(fullExternal);
    if (endsWith("-lastexternal")) {
      if (ips.size() > 1) ips.resize(1);
    } else if (ips.size() > 1) {
      ips.pop_back();
    }
  } else if (endsWith("-firsttrusted") || endsWith("-untrusted")) {
    std::vector<std::string> all = ips;
    for (auto& ip : untrustedOriginating()) all.push_back(ip);
    ips = uniquePublic(all);
    if (endsWith("-firsttrusted")) {
      if (ips.size() > 1) ips.resize(1);
    } else if (!ips.empty()) {
      ips.erase(ips.begin());
    }
  } else {
    std::vector<std::string> all = ips;
    for (auto& ip : untrustedOriginating()) all.push_back(ip);
    ips = uniquePublic(all);
    std::reverse(ips.begin(), ips.end());
  }
  if (ips.size() > kCheckReceived) ips.resize(kCheckReceived);
  // Trusted relays are asked about only by allow lists.
  if (!nice)
    while (!ips.empty() && isTrusted(ctx, ips.front())) ips.erase(ips.begin());
  return ips;
}

bool rblSubtestMatches(std::string_view answer, std::string_view subtest) {
  bool digits = !subtest.empty() && std::all_of(subtest.begin(), subtest.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
  if (digits) {
    // A bit mask over an answer inside 127.0.0.0/8.
    auto a = core::IpAddress::parse(answer);
    if (!a || a->v6 || a->bytes[0] != 127) return false;
    uint64_t mask = 0;
    for (char c : subtest)
      mask = std::min<uint64_t>(mask * 10 + static_cast<uint64_t>(c - '0'), 0xffffffffULL);
    uint32_t value = (uint32_t{a->bytes[0]} << 24) | (uint32_t{a->bytes[1]} << 16) |
                     (uint32_t{a->bytes[2]} << 8) | a->bytes[3];
    return (value & mask) != 0;
  }
  auto exactAddress = core::IpAddress::parse(subtest);
  if (exactAddress && !exactAddress->v6 && std::count(subtest.begin(), subtest.end(), '.') == 3)
    return answer == subtest;
  rules::PerlRegex re;
  re.pattern = std::string(subtest);
  std::string error;
  auto compiled = rules::FullRegex::compile(re, &error);
  return compiled && compiled->search(answer);
}

}  // namespace portcullis::content::evals
