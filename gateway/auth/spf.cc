#include "gateway/auth/spf.h"

#include <cstring>
#include <mutex>
#include <set>
#include <stdexcept>
#include <vector>

#include "gateway/auth/libspf2.h"
#include "gateway/auth/spf_record.h"
#include "gateway/core/log.h"

namespace portcullis::auth {

std::string_view spfResultName(SpfResult r) {
  switch (r) {
    case SpfResult::None:
      return "none";
    case SpfResult::Neutral:
      return "neutral";
    case SpfResult::Pass:
      return "pass";
    case SpfResult::Fail:
      return "fail";
    case SpfResult::SoftFail:
      return "softfail";
    case SpfResult::TempError:
      return "temperror";
    case SpfResult::PermError:
      return "permerror";
  }
  return "none";
}

namespace {

// What one evaluation's lookups came to. libspf2's lookup callback carries no request, so the
// evaluating thread publishes its counters here.
struct Lookup {
  ns_type type;
  dns::Status status;
  bool term;  // one of the RFC 7208 4.6.4 DNS-querying terms (not an MX/PTR target address)
  std::string syntaxError;  // a fetched SPF record the RFC calls permerror
};
struct Counters {
  bool ipv4 = true;
  std::vector<Lookup> lookups;
  std::set<std::string> mxTargets, ptrTargets;
};
thread_local Counters* current = nullptr;

// GNU spelling: clang makes noreturn part of the function type only this way, and libspf2's
// handler pointer is declared with it.
__attribute__((noreturn)) void onLibspf2Error(const char* file, int line, const char* msg) {
  // libspf2 calls this on internal inconsistencies and expects it not to return; the default
  // aborts the process. Unwinding back to evaluate() turns it into a permerror for one message.
  throw std::runtime_error(std::string("libspf2: ") + (msg ? msg : "error") + " (" +
                           (file ? file : "?") + ":" + std::to_string(line) + ")");
}

void quietHandlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    SPF_error_handler = onLibspf2Error;
    SPF_warning_handler = nullptr;
    SPF_info_handler = nullptr;
    SPF_debug_handler = nullptr;
  });
}

}  // namespace

struct SpfVerifier::Layer {
  SPF_dns_server_t server{};
  std::shared_ptr<dns::Resolver> resolver;

  static SPF_dns_rr_t* lookup(SPF_dns_server_t* srv, const char* domain, ns_type type,
                              int /*cache*/) {
    auto* self = static_cast<Layer*>(srv->hook);
    dns::Type t;
    switch (type) {
      case ns_t_a:
        t = dns::Type::A;
        break;
      case ns_t_aaaa:
        t = dns::Type::AAAA;
        break;
      case ns_t_mx:
        t = dns::Type::MX;
        break;
      case ns_t_txt:
        t = dns::Type::TXT;
        break;
      case ns_t_ptr:
        t = dns::Type::PTR;
        break;
      default:
        // RFC 7208 3.1 retired the SPF RR type: never asked, always "no data".
        return SPF_dns_rr_new_init(srv, domain, type, 0, NO_DATA);
    }
    const std::string name = dns::normalizeName(domain ? domain : "").value_or("");
    dns::Answer a = self->resolver->lookupBlocking(domain ? domain : "", t);
    Lookup* seen = nullptr;
    if (current) {
      const bool address = t == dns::Type::A || t == dns::Type::AAAA;
      const bool ptrTarget = address && current->ptrTargets.contains(name);
      const bool target = address && (ptrTarget || current->mxTargets.contains(name));
      // RFC 7208 5.5: a DNS error while validating a PTR name skips that name.
      if (ptrTarget && dns::isTemporary(a.status)) a.status = dns::Status::NoData;
      current->lookups.push_back({type, a.status, !target, ""});
      seen = &current->lookups.back();
      for (const auto& r : a.records) {
        if (t == dns::Type::MX) current->mxTargets.insert(r.data);
        if (t == dns::Type::PTR) current->ptrTargets.insert(r.data);
      }
    }
    SPF_dns_stat_t herrno = NETDB_SUCCESS;
    switch (a.status) {
      case dns::Status::Ok:
        break;
      case dns::Status::NoData:
        herrno = NO_DATA;
        break;
      case dns::Status::NxDomain:
      case dns::Status::BadName:
        herrno = HOST_NOT_FOUND;
        break;
      case dns::Status::ServFail:
      case dns::Status::Timeout:
        herrno = TRY_AGAIN;
        break;
    }
    SPF_dns_rr_t* rr = SPF_dns_rr_new_init(srv, domain, type, 0, herrno);
    if (!rr || herrno != NETDB_SUCCESS) return rr;
    int n = 0;
    for (const auto& rec : a.records) {
      if (type == ns_t_a || type == ns_t_aaaa) {
        const size_t size = type == ns_t_a ? sizeof(in_addr) : sizeof(in6_addr);
        if (SPF_dns_rr_buf_realloc(rr, n, size) != SPF_E_SUCCESS) break;
        if (inet_pton(type == ns_t_a ? AF_INET : AF_INET6, rec.data.c_str(), rr->rr[n]) != 1)
          continue;
      } else {
        std::string data = rec.data;
        if (type == ns_t_txt && isSpfRecord(data)) {
          if (auto err = spfSyntaxError(data)) {
            if (seen && seen->syntaxError.empty()) seen->syntaxError = name + ": " + *err;
          } else if (current) {
            data = rewriteForLibspf2(data, current->ipv4);
          }
        }
        if (SPF_dns_rr_buf_realloc(rr, n, data.size() + 1) != SPF_E_SUCCESS) break;
        // TXT data may hold NUL bytes; libspf2 reads C strings, so the record ends there.
        std::memcpy(rr->rr[n], data.c_str(), data.size() + 1);
      }
      ++n;
    }
    rr->num_rr = n;
    return rr;
  }
};

namespace {

SpfResult resultOf(SPF_response_t* resp) {
  switch (resp ? SPF_response_result(resp) : SPF_RESULT_INVALID) {
    case SPF_RESULT_PASS:
      return SpfResult::Pass;
    case SPF_RESULT_FAIL:
      return SpfResult::Fail;
    case SPF_RESULT_SOFTFAIL:
      return SpfResult::SoftFail;
    case SPF_RESULT_NEUTRAL:
      return SpfResult::Neutral;
    case SPF_RESULT_NONE:
      return SpfResult::None;
    case SPF_RESULT_TEMPERROR:
      return SpfResult::TempError;
    case SPF_RESULT_PERMERROR:
    case SPF_RESULT_INVALID:
      break;
  }
  return SpfResult::PermError;
}

// Re-reads an evaluation through what our resolver saw, in lookup order, and applies the
// RFC 7208 rules libspf2 lacks: a DNS error ends the evaluation with temperror (4.4, 5), a
// record with a syntax error anywhere is a permerror (4.6), and so are more than 10
// DNS-querying terms or more than 2 void lookups (4.6.4). The explanation lookup (exp=) comes
// after a fail is decided and counts for none of these (4.6.4, 6.2).
void applyRfc7208(Counters& c, SpfOutcome& out, int maxTerms, int maxVoids) {
  std::vector<Lookup> ls = c.lookups;
  if (out.result == SpfResult::Fail && ls.size() > 1 && ls.back().type == ns_t_txt) ls.pop_back();
  int terms = -1;  // the first TXT lookup fetches the record itself, not a term
  int voids = 0;
  out.lookups = static_cast<int>(ls.size());
  for (size_t i = 0; i < ls.size(); ++i) {
    const Lookup& l = ls[i];
    if (dns::isTemporary(l.status)) {
      out.result = SpfResult::TempError;
      out.explanation = "DNS error during SPF evaluation";
      return;
    }
    if (!l.syntaxError.empty()) {
      out.result = SpfResult::PermError;
      out.explanation = "invalid SPF record at " + l.syntaxError;
      return;
    }
    if (l.term) ++terms;
    if (i > 0 && (l.status == dns::Status::NoData || l.status == dns::Status::NxDomain)) ++voids;
    out.voidLookups = voids;
    if (terms > maxTerms) {
      out.result = SpfResult::PermError;
      out.explanation = "more than " + std::to_string(maxTerms) + " DNS-querying terms";
      return;
    }
    if (voids > maxVoids) {
      out.result = SpfResult::PermError;
      out.explanation = "more than " + std::to_string(maxVoids) + " void DNS lookups";
      return;
    }
  }
}

}  // namespace

SpfVerifier::SpfVerifier(std::shared_ptr<dns::Resolver> resolver, SpfSettings settings)
    : layer_(std::make_unique<Layer>()), settings_(std::move(settings)) {
  quietHandlers();
  layer_->resolver = std::move(resolver);
  layer_->server.destroy = nullptr;  // owned here, not by the SPF_server_t
  layer_->server.lookup = &Layer::lookup;
  layer_->server.name = "portcullis";
  layer_->server.hook = layer_.get();
}

SpfVerifier::~SpfVerifier() = default;

SpfOutcome SpfVerifier::checkMailFrom(const std::string& ip, const std::string& helo,
                                      const std::string& mailFrom) const {
  return evaluate(ip, helo, mailFrom, "mailfrom");
}

SpfOutcome SpfVerifier::checkHelo(const std::string& ip, const std::string& helo) const {
  return evaluate(ip, helo, "", "helo");
}

SpfOutcome SpfVerifier::evaluate(const std::string& ip, const std::string& helo,
                                 const std::string& mailFrom, const char* identity) const {
  SpfOutcome out;
  out.identity = identity;
  auto at = mailFrom.rfind('@');
  out.domain =
      mailFrom.empty() ? helo : (at == std::string::npos ? mailFrom : mailFrom.substr(at + 1));
  Counters counters;
  // RFC 7208 5: an IPv4-mapped IPv6 client is checked as the IPv4 address it is.
  std::string client = ip;
  if (client.size() > 7 && (client.starts_with("::ffff:") || client.starts_with("::FFFF:")) &&
      client.find('.') != std::string::npos)
    client = client.substr(7);
  counters.ipv4 = client.find(':') == std::string::npos;
  current = &counters;
  struct Reset {
    ~Reset() { current = nullptr; }
  } reset;

  // One SPF_server_t per evaluation: libspf2 does not document its server as thread-safe, and
  // making one costs microseconds next to the DNS it waits for.
  SPF_server_t* server = SPF_server_new_dns(&layer_->server, 0);
  SPF_request_t* req = server ? SPF_request_new(server) : nullptr;
  SPF_response_t* resp = nullptr;
  try {
    if (!server || !req) throw std::runtime_error("libspf2: out of memory");
    SPF_server_set_max_dns_mech(server, settings_.maxLookups);
    SPF_server_set_max_dns_mx(server, 10);
    SPF_server_set_max_dns_ptr(server, 10);
    if (!settings_.receiver.empty()) SPF_server_set_rec_dom(server, settings_.receiver.c_str());
    if ((counters.ipv4 ? SPF_request_set_ipv4_str(req, client.c_str())
                       : SPF_request_set_ipv6_str(req, client.c_str())) != SPF_E_SUCCESS)
      throw std::invalid_argument("not an IP address: " + ip);
    if (!helo.empty()) SPF_request_set_helo_dom(req, helo.c_str());
    if (!mailFrom.empty() && SPF_request_set_env_from(req, mailFrom.c_str()) != 0) {
      out.result = SpfResult::None;
      out.explanation = "sender address cannot be checked";
    } else {
      SPF_request_query_mailfrom(req, &resp);
      out.result = resultOf(resp);
      if (resp && SPF_response_get_header_comment(resp))
        out.explanation = SPF_response_get_header_comment(resp);
      // libspf2 passes loopback clients without looking at the record; RFC 7208 has no such
      // rule, and a pass nobody checked must not align for DMARC.
      const bool loopback = client.starts_with("127.") || client == "::1";
      if (loopback && out.result == SpfResult::Pass && counters.lookups.empty()) {
        out.result = SpfResult::None;
        out.explanation = "loopback client not evaluated (libspf2 passes it unchecked)";
      }
    }
  } catch (const std::invalid_argument& e) {
    out.result = SpfResult::None;
    out.explanation = e.what();
  } catch (const std::exception& e) {
    out.result = SpfResult::PermError;
    out.explanation = e.what();
    core::log::warn(std::string("SPF: ") + e.what());
  }
  if (resp) SPF_response_free(resp);
  if (req) SPF_request_free(req);
  if (server) SPF_server_free(server);

  applyRfc7208(counters, out, settings_.maxLookups, settings_.maxVoidLookups);
  return out;
}

}  // namespace portcullis::auth
