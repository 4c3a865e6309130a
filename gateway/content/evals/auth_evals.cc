// SpamAssassin's SPF, DKIM, ARC and DMARC evals (Plugin/SPF.pm, DKIM.pm, DMARC.pm). The stock
// rules that call them carry `tflags net`: without network tests (SpamAssassin's -L) they do
// not run and the metas over them read "not hit", which is what lets metas such as
// __NOT_SPOOFED, SPOOFED_FREEMAIL or KHOP_HELO_FCRDNS run at all. With network tests the
// verdicts come from the gateway's own SPF/DKIM/DMARC check (gateway/auth), handed over as
// transaction facts ("spf.pass", "dkim.pass", "dmarc.pass") when it ran before the content
// rules; what it did not prove reads as not hit.
#include <algorithm>
#include <cctype>

#include "gateway/content/evals/eval_registry.h"

namespace portcullis::content::evals {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The d= of every DKIM-Signature (or ARC-Message-Signature) header.
std::vector<std::string> signingDomains(const EvalContext& ctx, const char* header) {
  std::vector<std::string> out;
  for (const auto& h : ctx.message().root.headers) {
    if (lower(h.name) != lower(header)) continue;
    const std::string v = h.value;
    for (size_t p = 0; (p = v.find("d=", p)) != std::string::npos; p += 2) {
      if (p > 0 && v[p - 1] != ';' && !std::isspace(static_cast<unsigned char>(v[p - 1]))) continue;
      size_t end = v.find(';', p);
      std::string d = v.substr(p + 2, end == std::string::npos ? std::string::npos : end - p - 2);
      d.erase(std::remove_if(d.begin(), d.end(), [](unsigned char c) { return std::isspace(c); }),
              d.end());
      if (!d.empty()) out.push_back(lower(d));
      break;
    }
  }
  return out;
}

// DKIM.pm's acceptable-domain test: the domain itself, or any subdomain with "*.domain".
bool acceptable(const std::string& domain, const std::vector<std::string>& wanted) {
  if (wanted.empty()) return true;
  for (std::string w : wanted) {
    w = lower(w);
    if (w.starts_with("*.")) {
      std::string base = w.substr(2);
      if (domain == base || domain.ends_with("." + base)) return true;
    } else if (domain == w) {
      return true;
    }
  }
  return false;
}

const std::vector<std::string>& fact(const EvalContext& ctx, const std::string& name) {
  static const std::vector<std::string> none;
  auto it = ctx.envelope().facts.find(name);
  return it == ctx.envelope().facts.end() ? none : it->second;
}

int dkimSigned(const EvalContext& ctx, const std::vector<std::string>& args) {
  for (const auto& d : signingDomains(ctx, "DKIM-Signature"))
    if (acceptable(d, args)) return 1;
  return 0;
}

int arcSigned(const EvalContext& ctx, const std::vector<std::string>&) {
  return signingDomains(ctx, "ARC-Message-Signature").empty() ? 0 : 1;
}

int dkimValid(const EvalContext& ctx, const std::vector<std::string>& args) {
  for (const auto& d : fact(ctx, "dkim.pass"))
    if (acceptable(lower(d), args)) return 1;
  return 0;
}

int spfPass(const EvalContext& ctx, const std::vector<std::string>&) {
  return fact(ctx, "spf.pass").empty() ? 0 : 1;
}

int dmarcPass(const EvalContext& ctx, const std::vector<std::string>&) {
  return fact(ctx, "dmarc.pass").empty() ? 0 : 1;
}

int never(const EvalContext&, const std::vector<std::string>&) {
  return 0;
}

}  // namespace

void registerAuthEvals(EvalRegistry& registry, const EvalSettings& /*settings*/) {
  // Local: a signature is there or not (SpamAssassin reads it without DNS).
  registry.add("check_dkim_signed", dkimSigned);
  registry.add("check_arc_signed", arcSigned);
  // Network tests: what the gateway's authentication proved, else not hit.
  registry.addNetwork("check_dkim_valid", dkimValid, {});
  registry.addNetwork("check_dkim_valid_author_sig", dkimValid, {});
  registry.addNetwork("check_dkim_dependable", dkimValid, {});
  registry.addNetwork("check_for_spf_pass", spfPass, {});
  registry.addNetwork("check_dmarc_pass", dmarcPass, {});
  // Failures and policies the gateway reports with its own symbols (SPF_FAIL, DMARC_REJECT...)
  // rather than as facts: these read as not hit.
  for (const char* name :
       {"check_dkim_valid_envelopefrom", "check_dkim_testing", "check_dkim_signsome",
        "check_dkim_signall", "check_dkim_adsp", "check_arc_valid", "check_for_spf_neutral",
        "check_for_spf_none", "check_for_spf_fail", "check_for_spf_softfail",
        "check_for_spf_permerror", "check_for_spf_temperror", "check_for_spf_helo_pass",
        "check_for_spf_helo_neutral", "check_for_spf_helo_none", "check_for_spf_helo_fail",
        "check_for_spf_helo_softfail", "check_for_spf_helo_permerror",
        "check_for_spf_helo_temperror", "check_for_spf_welcomelist_from",
        "check_for_spf_whitelist_from", "check_for_def_spf_welcomelist_from",
        "check_for_def_spf_whitelist_from", "check_for_dkim_welcomelist_from",
        "check_for_dkim_whitelist_from", "check_for_def_dkim_welcomelist_from",
        "check_for_def_dkim_whitelist_from", "check_dmarc_reject", "check_dmarc_quarantine",
        "check_dmarc_none", "check_dmarc_missing"})
    registry.addNetwork(name, never, {});
}

}  // namespace portcullis::content::evals
