#include "gateway/auth/dmarc.h"

#include <libpsl.h>

#include <algorithm>
#include <mutex>

#include "gateway/core/text.h"

#include "gateway/auth/dkim.h"

extern "C" {
#include <opendmarc/dmarc.h>
}

namespace portcullis::auth {

namespace {

using core::lowerAscii;

char policyLetter(const std::string& v) {
  std::string l = lowerAscii(v);
  if (l == "none") return 'n';
  if (l == "quarantine") return 'q';
  if (l == "reject") return 'r';
  return 0;
}

// A domain without the dots before and after it: "example.com." (absolute, as a d= may be
// written) is example.com, as libopendmarc's opendmarc_policy_check_alignment has it.
std::string withoutOuterDots(const std::string& d) {
  const size_t first = d.find_first_not_of('.');
  if (first == std::string::npos) return "";
  return lowerAscii(d.substr(first, d.find_last_not_of('.') - first + 1));
}

bool aligned(const std::string& domainA, const std::string& domainB, bool strict) {
  const std::string a = withoutOuterDots(domainA), b = withoutOuterDots(domainB);
  if (a.empty() || b.empty()) return false;
  if (a == b) return true;
  return !strict && organizationalDomain(a) == organizationalDomain(b);
}

}  // namespace

std::string dmarcName(const std::string& domain) {
  return "_dmarc." + domain;
}

std::optional<DmarcRecord> parseDmarcRecord(const std::string& txt, std::string* why) {
  auto tags = parseTagList(txt);
  if (!tags || !tags->contains("v") || (*tags)["v"] != "DMARC1" || txt.substr(0, 1) != "v")
    return *why = "not a DMARC1 record", std::nullopt;
  // libopendmarc validates the record and gives p, sp, pct, adkim and aspf back.
  DMARC_POLICY_T* ctx =
      opendmarc_policy_connect_init(reinterpret_cast<u_char*>(const_cast<char*>("0.0.0.0")), 0);
  if (!ctx) return *why = "out of memory", std::nullopt;
  std::string copy = txt;
  OPENDMARC_STATUS_T st =
      opendmarc_policy_store_dmarc(ctx, reinterpret_cast<u_char*>(copy.data()),
                                   reinterpret_cast<u_char*>(const_cast<char*>("x")), nullptr);
  DmarcRecord r;
  if (st != DMARC_PARSE_OKAY) {
    opendmarc_policy_connect_shutdown(ctx);
    *why = opendmarc_policy_status_to_str(st);
    return std::nullopt;
  }
  int p = 0, sp = 0, pct = 100, adkim = 0, aspf = 0;
  opendmarc_policy_fetch_p(ctx, &p);
  opendmarc_policy_fetch_sp(ctx, &sp);
  opendmarc_policy_fetch_pct(ctx, &pct);
  opendmarc_policy_fetch_adkim(ctx, &adkim);
  opendmarc_policy_fetch_aspf(ctx, &aspf);
  opendmarc_policy_connect_shutdown(ctx);
  r.p = p == DMARC_RECORD_P_REJECT ? 'r' : p == DMARC_RECORD_P_QUARANTINE ? 'q' : 'n';
  if (sp == DMARC_RECORD_P_REJECT || sp == DMARC_RECORD_P_QUARANTINE || sp == DMARC_RECORD_P_NONE)
    r.sp = sp == DMARC_RECORD_P_REJECT ? 'r' : sp == DMARC_RECORD_P_QUARANTINE ? 'q' : 'n';
  if (tags->contains("np"))
    if (char np = policyLetter((*tags)["np"])) r.np = np;
  r.pct = std::clamp(pct, 0, 100);
  r.strictDkim = adkim == DMARC_RECORD_A_STRICT;
  r.strictSpf = aspf == DMARC_RECORD_A_STRICT;
  return r;
}

namespace {
const psl_ctx_t* publicSuffixes() {
  static const psl_ctx_t* psl = [] {
    const psl_ctx_t* p = psl_latest(nullptr);  // Debian's publicsuffix list, else the built-in one
    return p ? p : psl_builtin();
  }();
  return psl;
}
}  // namespace

void loadPublicSuffixList() {
  publicSuffixes();
}

std::string organizationalDomain(const std::string& domain) {
  const psl_ctx_t* psl = publicSuffixes();
  const std::string d = lowerAscii(domain);
  const char* reg = psl ? psl_registrable_domain(psl, d.c_str()) : nullptr;
  return reg ? std::string(reg) : d;
}

std::vector<std::string> fromDomains(const std::vector<std::string>& fromFieldValues) {
  std::vector<std::string> out;
  for (const auto& v : fromFieldValues) {
    // Addresses are separated by commas outside quotes and angle brackets.
    std::string cur;
    bool quoted = false;
    int angle = 0;
    std::vector<std::string> parts;
    for (char c : v) {
      if (c == '"') quoted = !quoted;
      if (!quoted && c == '<') ++angle;
      if (!quoted && c == '>') angle = std::max(0, angle - 1);
      if (c == ',' && !quoted && angle == 0) {
        parts.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    parts.push_back(cur);
    for (auto& p : parts) {
      std::string addr = p;
      auto lt = p.rfind('<');
      if (lt != std::string::npos)
        addr = p.substr(lt + 1, p.find('>', lt) == std::string::npos ? std::string::npos
                                                                     : p.find('>', lt) - lt - 1);
      auto at = addr.rfind('@');
      if (at == std::string::npos) continue;
      std::string domain;
      for (char c : addr.substr(at + 1)) {
        if (c == ' ' || c == '\t' || c == '>' || c == '(' || c == ')' || c == '"') break;
        domain += c;
      }
      if (auto n = dns::normalizeName(domain)) out.push_back(*n);
    }
  }
  return out;
}

std::optional<DmarcRecord> selectDmarcRecord(const dns::Answer& answer, std::string* why) {
  std::vector<DmarcRecord> found;
  for (const auto& rec : answer.records) {
    if (rec.data.rfind("v=DMARC1", 0) != 0) continue;
    std::string w;
    if (auto r = parseDmarcRecord(rec.data, &w))
      found.push_back(*r);
    else
      *why = w;
  }
  if (found.size() == 1) return found.front();
  if (found.size() > 1) *why = "more than one DMARC record";
  return std::nullopt;
}

DmarcOutcome evaluateDmarc(const std::string& fromDomain, const DmarcDns& dns,
                           const SpfOutcome& spf, const std::vector<DkimSignatureResult>& dkim,
                           const std::function<int()>& sample, bool fromAmbiguous) {
  DmarcOutcome out;
  out.fromDomain = fromDomain;
  std::string why;
  std::optional<DmarcRecord> record;
  if (dns::isTemporary(dns.atFrom.status)) {
    out.result = "temperror";
    out.reason = "DNS error looking up " + dmarcName(fromDomain);
    return out;
  }
  record = selectDmarcRecord(dns.atFrom, &why);
  if (record) {
    out.policyDomain = fromDomain;
  } else if (dns.atOrg) {
    if (dns::isTemporary(dns.atOrg->status)) {
      out.result = "temperror";
      out.reason = "DNS error looking up the organisational domain's record";
      return out;
    }
    record = selectDmarcRecord(*dns.atOrg, &why);
    if (record) {
      out.policyDomain = organizationalDomain(fromDomain);
      out.orgRecord = true;
    }
  }
  if (!record) {
    out.result = "none";
    out.reason = why.empty() ? "no DMARC record" : why;
    return out;
  }
  for (const auto& d : dkim)
    if (d.result == "pass" && aligned(d.domain, fromDomain, record->strictDkim))
      out.dkimAligned = true;
  out.spfAligned = spf.result == SpfResult::Pass && spf.identity == "mailfrom" &&
                   aligned(lowerAscii(spf.domain), fromDomain, record->strictSpf);
  out.policy = record->p;
  if (out.orgRecord) {
    const bool nonexistent = dns.fromExists && dns.fromExists->status == dns::Status::NxDomain;
    if (nonexistent && record->np)
      out.policy = *record->np;
    else if (record->sp)
      out.policy = *record->sp;
  }
  if ((out.spfAligned || out.dkimAligned) && !fromAmbiguous) {
    out.result = "pass";
    out.disposition = 'n';
    return out;
  }
  out.result = "fail";
  if (fromAmbiguous) out.reason = "ambiguous From";
  out.disposition = out.policy;
  // RFC 7489 6.6.4: a message pct= leaves out gets the next milder policy.
  if (record->pct < 100 && out.policy != 'n' && sample() >= record->pct) {
    out.sampledOut = true;
    out.disposition = out.policy == 'r' ? 'q' : 'n';
  }
  return out;
}

}  // namespace portcullis::auth
