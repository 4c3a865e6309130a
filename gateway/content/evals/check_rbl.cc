// check_rbl, check_rbl_txt and check_rbl_sub (DNSEval.pm): DNS lists asked about the relays'
// addresses. The planner names the lookups; the functions read the answers: an A answer counts
// only inside 127.0.0.0/8, and a subtest (address, bit mask or regex) narrows it down.
#include "gateway/content/evals/dns_evals.h"

#include "gateway/content/evals/rbl_addresses.h"
#include "gateway/dns/resolver.h"

namespace portcullis::content::evals {
namespace {

std::string zoneOf(std::string zone) {
  while (!zone.empty() && zone.back() == '.') zone.pop_back();
  return zone;
}

// Every answer record of `set` (and of `zone` and `type` when given) that SpamAssassin reads.
template <typename F>
void forEachAnswer(const EvalContext& ctx, const std::string& set, const std::string* zone,
                   const dns::Type* type, F&& f) {
  if (!ctx.dns()) return;
  for (const auto& r : ctx.dns()->results) {
    if (r.lookup.set != set || (zone && r.lookup.zone != *zone) || (type && r.lookup.type != *type))
      continue;
    for (const auto& rec : r.records) {
      if (r.lookup.type == dns::Type::A && !rec.starts_with("127.")) continue;
      if (f(rec)) return;
    }
  }
}

int listed(const EvalContext& ctx, const std::vector<std::string>& args, dns::Type type) {
  if (args.size() < 2) return 0;
  const std::string zone = zoneOf(args[1]);
  bool hit = false;
  forEachAnswer(ctx, args[0], &zone, &type, [&](const std::string& rec) {
    hit = args.size() < 3 || args[2].empty() || rblSubtestMatches(rec, args[2]);
    return hit;
  });
  return hit ? 1 : 0;
}

EvalPlanner planner(dns::Type type) {
  return [type](const EvalContext& ctx, const rules::Rule& rule, std::vector<DnsLookup>& out) {
    const auto& args = rule.eval.args;
    if (args.size() < 2 || args[1].empty()) return;
    const std::string zone = zoneOf(args[1]);
    for (const auto& ip : rblAddresses(ctx, args[0], rule.hasFlag("nice"))) {
      std::string reversed = dns::reverseName(ip);
      // "d.c.b.a.in-addr.arpa" -> "d.c.b.a": the list's zone replaces the arpa suffix.
      for (std::string_view arpa : {".in-addr.arpa", ".ip6.arpa"})
        if (reversed.ends_with(arpa)) reversed.resize(reversed.size() - arpa.size());
      if (reversed.empty()) continue;
      addLookup(out, {args[0], zone, reversed + "." + zone, type});
    }
  };
}

}  // namespace

int checkRbl(const EvalContext& ctx, const std::vector<std::string>& args) {
  return listed(ctx, args, dns::Type::A);
}

int checkRblTxt(const EvalContext& ctx, const std::vector<std::string>& args) {
  return listed(ctx, args, dns::Type::TXT);
}

int checkRblSub(const EvalContext& ctx, const std::vector<std::string>& args) {
  if (args.size() < 2) return 0;
  bool hit = false;
  forEachAnswer(ctx, args[0], nullptr, nullptr, [&](const std::string& rec) {
    hit = rblSubtestMatches(rec, args[1]);
    return hit;
  });
  return hit ? 1 : 0;
}

EvalPlanner checkRblPlanner() {
  return planner(dns::Type::A);
}
EvalPlanner checkRblTxtPlanner() {
  return planner(dns::Type::TXT);
}

}  // namespace portcullis::content::evals
