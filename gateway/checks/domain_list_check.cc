#include "gateway/checks/domain_list_check.h"

#include <map>
#include <set>

#include "gateway/auth/dmarc.h"
#include "gateway/checks/reputation_check.h"
#include "gateway/core/text.h"
#include "gateway/dns/message.h"
#include "gateway/firewall/lookup_join.h"
#include "gateway/mime/headers.h"

namespace portcullis::checks {

namespace {

struct Domain {
  std::string name;
  const char* source;
};

// A domain worth asking about: a valid DNS name with a dot, not an address literal.
std::optional<std::string> askable(const std::string& raw) {
  std::string d = core::lowerAscii(raw);
  while (!d.empty() && d.back() == '.') d.pop_back();
  if (d.find('.') == std::string::npos || core::IpAddress::parse(d)) return std::nullopt;
  auto n = dns::normalizeName(d);
  if (!n || n->empty()) return std::nullopt;
  return *n;
}

// The message's domains by source, each once, in the order they appear.
std::vector<Domain> domainsOf(const core::CheckContext& ctx, const mime::Limits& limits) {
  std::vector<Domain> out;
  std::set<std::pair<std::string, std::string>> seen;
  auto add = [&](const std::string& raw, const char* source) {
    if (auto d = askable(raw); d && seen.insert({*d, source}).second) out.push_back({*d, source});
  };
  const core::Transaction& tx = *ctx.tx;
  if (!tx.mailFrom.null) add(tx.mailFrom.domainLower(), "sender");
  std::vector<std::string> froms;
  // The transaction's shared MIME view: the header section is parsed once per message.
  for (const auto& h : tx.mimeView(limits).root.headers)
    if (mime::iequals(h.name, "From")) froms.push_back(h.value);
  for (const auto& d : auth::fromDomains(froms)) add(d, "from");
  // URL hosts by their registrable domain: lists name "example.com", not "www.example.com".
  for (const auto& host : identityOf(ctx.session, tx, limits).urlHosts)
    if (auto d = askable(host)) add(auth::organizationalDomain(*d), "url");
  if (!ctx.session.helo.empty()) add(ctx.session.helo, "helo");
  return out;
}

unsigned sourceBit(const char* s) {
  const std::string_view v = s;
  return v == "sender" ? kSender : v == "from" ? kFrom : v == "url" ? kUrl : kHelo;
}

struct Query {
  size_t list;
  Domain domain;
  dns::Answer answer;
};

}  // namespace

void DomainListCheck::run(const core::CheckContext& ctx, core::StageOutcome& out,
                          std::function<void()> done) const {
  const auto& s = *settings_;
  if (s.lists.empty() || !ctx.tx || !ctx.post) return done();
  const auto domains = domainsOf(ctx, s.limits);
  std::vector<Query> queries;
  for (size_t l = 0; l < s.lists.size(); ++l) {
    size_t asked = 0;
    std::set<std::string> names;  // one query per domain, whichever sources named it
    for (const auto& d : domains) {
      if (!(s.lists[l].sources & sourceBit(d.source)) || asked >= s.maxDomains) continue;
      if (names.insert(d.name).second) {
        queries.push_back({l, d, {}});
        ++asked;
      }
    }
  }
  if (queries.empty()) return done();
  auto join = std::make_shared<firewall::LookupJoin<std::vector<Query>>>(
      ctx.post, [settings = settings_, &out, done](std::vector<Query>& answered) {
        const auto& s = *settings;
        // (list, code) -> the domains and answers that matched it.
        std::map<std::pair<size_t, size_t>, std::string> hits;
        for (const auto& q : answered) {
          const DomainList& list = s.lists[q.list];
          if (q.answer.status == dns::Status::ServFail || q.answer.status == dns::Status::Timeout)
            firewall::warnDnsListTrouble(list.zone, q.answer.status == dns::Status::Timeout
                                                        ? "no answer (timeout)"
                                                        : "server failure: " + q.answer.detail);
          for (const auto& r : q.answer.records) {
            auto a = core::IpAddress::parse(r.data);
            if (!a) continue;
            if (firewall::isDnsListError(*a)) {
              firewall::warnDnsListTrouble(
                  list.zone, "error answer " + r.data + " (query refused or limited)");
              continue;
            }
            for (size_t c : list.matches(*a)) {
              std::string& h = hits[{q.list, c}];
              const std::string item = q.domain.name + " (" + q.domain.source + ", " + r.data + ")";
              if (h.find(item) == std::string::npos) h += (h.empty() ? "" : ", ") + item;
            }
          }
        }
        for (const auto& [key, what] : hits) {
          const DomainList& list = s.lists[key.first];
          const DomainList::Code& code = list.codes[key.second];
          out.symbols.push_back(
              {code.symbol, code.score, what + " listed by " + list.zone, core::Stage::Data});
        }
        done();
      });
  join->state() = queries;
  for (size_t i = 0; i < queries.size(); ++i) {
    join->hold();
    resolver_->lookup(queries[i].domain.name + "." + s.lists[queries[i].list].zone, dns::Type::A,
                      [join, i](const dns::Answer& a) {
                        join->update([&](std::vector<Query>& qs) { qs[i].answer = a; });
                      });
  }
  join->release();
}

}  // namespace portcullis::checks
