#include "gateway/firewall/shared_state.h"

namespace portcullis::firewall {

namespace {
// A remembered client's value: "pass", or this prefix and the failed test's symbol.
constexpr std::string_view kFailPrefix = "fail ";
}  // namespace

std::optional<ConnectionLimiter::Refusal> countSharedRate(reputation::Store& store,
                                                          const core::IpAddress& ip,
                                                          const LimitSettings& s, int64_t nowMs) {
  if (s.ratePerIp <= 0 && s.ratePerSubnet <= 0) return std::nullopt;
  const std::string ipKey = ip.unmapped().str();
  const std::string netKey = subnetKey(ip, s.ipv4Prefix, s.ipv6Prefix);
  auto rates = store.countEvents({"conn:" + ipKey, "conn:" + netKey}, 60, nowMs);
  return ConnectionLimiter::rateRefusal(s, ipKey, rates.at(0), netKey, rates.at(1));
}

std::optional<ClientCache::Entry> sharedClientGet(reputation::Store& store, const std::string& ip,
                                                  int64_t now) {
  auto v = store.getValue("client:" + ip, now);
  if (!v) return std::nullopt;
  ClientCache::Entry e;
  e.passed = *v == "pass";
  if (!e.passed) e.reason = v->starts_with(kFailPrefix) ? v->substr(kFailPrefix.size()) : *v;
  return e;
}

void sharedClientPass(reputation::Store& store, const std::string& ip, std::chrono::seconds ttl,
                      int64_t now) {
  // A pass never replaces a live failure: the session that passed may have begun before
  // another connection from the address (on any node) failed.
  store.putValueUnless("client:" + ip, "pass", static_cast<int>(ttl.count()), now, kFailPrefix);
}

void sharedClientFail(reputation::Store& store, const std::string& ip, const std::string& reason,
                      std::chrono::seconds ttl, int64_t now) {
  store.putValue("client:" + ip, std::string(kFailPrefix) + reason, static_cast<int>(ttl.count()),
                 now);
}

}  // namespace portcullis::firewall
