#include "gateway/auth/auth_check.h"

#include <mutex>
#include <random>

#include "gateway/auth/auth_results.h"
#include "gateway/auth/dmarc.h"
#include "gateway/auth/from_address.h"
#include "gateway/core/log.h"
#include "gateway/mime/headers.h"
#include "gateway/net/asio.h"

namespace portcullis::auth {

std::map<std::string, double> defaultAuthScores() {
  return {
      {"SPF_PASS", -0.2},
      {"SPF_FAIL", 2.0},
      {"SPF_SOFTFAIL", 1.0},
      {"SPF_NEUTRAL", 0.0},
      {"SPF_NONE", 0.0},
      {"SPF_PERMERROR", 0.5},
      {"SPF_TEMPERROR", 0.0},
      {"SPF_HELO_FAIL", 1.0},
      {"SPF_HELO_SOFTFAIL", 0.5},
      {"DKIM_VALID", -0.2},
      {"DKIM_INVALID", 1.0},
      {"DKIM_PERMERROR", 0.5},
      {"DKIM_TEMPERROR", 0.0},
      {"DKIM_NONE", 0.0},
      {"DMARC_PASS", -0.5},
      {"DMARC_POLICY_REJECT", 5.0},
      {"DMARC_POLICY_QUARANTINE", 3.0},
      {"DMARC_POLICY_NONE", 1.0},
      {"DMARC_NONE", 0.0},
      {"DMARC_TEMPERROR", 0.0},
      {"DMARC_MULTIPLE_FROM", 1.0},
      {"DMARC_MISSING_FROM", 1.0},
      {"DMARC_FROM_AMBIGUOUS", 3.0},
      {"AUTH_DNS_TEMPFAIL", 0.0},
  };
}

namespace {

std::string spfSymbol(SpfResult r) {
  switch (r) {
    case SpfResult::None:
      return "SPF_NONE";
    case SpfResult::Neutral:
      return "SPF_NEUTRAL";
    case SpfResult::Pass:
      return "SPF_PASS";
    case SpfResult::Fail:
      return "SPF_FAIL";
    case SpfResult::SoftFail:
      return "SPF_SOFTFAIL";
    case SpfResult::TempError:
      return "SPF_TEMPERROR";
    case SpfResult::PermError:
      return "SPF_PERMERROR";
  }
  return "SPF_NONE";
}

// Everything one message's evaluation gathers, filled from several threads.
struct Run {
  std::mutex mutex;
  int pending = 1;
  SpfOutcome spf, helo;
  bool spfRan = false, heloRan = false;
  std::map<std::string, dns::Answer> keys;
  std::vector<std::string> fromDomains;
  size_t fromFields = 0, fromAddresses = 0;
  bool fromAmbiguous = false;
  std::string fromWhy;
  std::map<std::string, DmarcDns> dmarc;
  std::function<void()> finish;
  core::Post post;

  void release() {
    std::function<void()> f;
    {
      std::lock_guard lock(mutex);
      // `finish` holds this Run: moving it out breaks the cycle once it has run.
      if (--pending == 0) f = std::move(finish);
    }
    if (f) post(std::move(f));
  }
  void hold() {
    std::lock_guard lock(mutex);
    ++pending;
  }
};

}  // namespace

struct AuthCheck::Impl {
  std::shared_ptr<dns::Resolver> resolver;
  AuthSettings settings;
  std::string hostname;
  SpfVerifier spf;
  DkimVerifier dkim;
  asio::thread_pool pool;

  Impl(std::shared_ptr<dns::Resolver> r, AuthSettings s, std::string host)
      : resolver(r),
        settings(std::move(s)),
        hostname(std::move(host)),
        spf(r, SpfSettings{10, 2, hostname}),
        dkim(settings.dkimSettings),
        pool(static_cast<size_t>(std::max(1, settings.spfWorkers))) {
    loadPublicSuffixList();
  }
  ~Impl() { pool.join(); }

  double score(const std::string& sym) const {
    auto it = settings.scores.find(sym);
    return it == settings.scores.end() ? 0.0 : it->second;
  }

  int sample() const {
    if (settings.pctSample) return settings.pctSample();
    thread_local std::mt19937 rng{std::random_device{}()};
    return static_cast<int>(rng() % 100);
  }

  // The DMARC lookups for one From domain: _dmarc.<from>, then _dmarc.<org> if that has no
  // record, then <from> itself if the org record has np= (RFC 9091 needs to know it exists).
  void discoverDmarc(const std::shared_ptr<Run>& run, const std::string& from) const {
    run->hold();
    resolver->lookup(dmarcName(from), dns::Type::TXT, [this, run, from](const dns::Answer& a) {
      std::string why;
      const bool found = selectDmarcRecord(a, &why).has_value();
      {
        std::lock_guard lock(run->mutex);
        run->dmarc[from].atFrom = a;
      }
      const std::string org = organizationalDomain(from);
      if (!found && !dns::isTemporary(a.status) && org != from) {
        run->hold();
        resolver->lookup(dmarcName(org), dns::Type::TXT, [this, run, from](const dns::Answer& o) {
          std::string why;
          auto record = selectDmarcRecord(o, &why);
          const bool np = record && record->np;
          {
            std::lock_guard lock(run->mutex);
            run->dmarc[from].atOrg = o;
          }
          if (np) {
            run->hold();
            resolver->lookup(from, dns::Type::A, [run, from](const dns::Answer& e) {
              {
                std::lock_guard lock(run->mutex);
                run->dmarc[from].fromExists = e;
              }
              run->release();
            });
          }
          run->release();
        });
      }
      run->release();
    });
  }

  void finish(const core::CheckContext& ctx, Run& run, core::StageOutcome& out) const {
    std::vector<AuthResultEntry> ar;
    bool temperror = false;
    auto add = [&](const std::string& sym, const std::string& reason) {
      out.symbols.push_back({sym, score(sym), reason, core::Stage::Data});
    };
    const std::string mailFrom = ctx.tx->mailFrom.null ? "" : ctx.tx->mailFrom.str();

    // iprev (RFC 8601 3): the firewall's forward-confirmed reverse DNS of the client.
    if (!ctx.session.iprev.empty() && ctx.session.clientIp) {
      const bool named = ctx.session.clientName != "unknown";
      ar.push_back({"iprev",
                    ctx.session.iprev,
                    named ? ctx.session.clientName : "",
                    {{"policy.iprev", ctx.session.clientIp->str()}}});
    }

    if (run.spfRan) {
      const std::string r(spfResultName(run.spf.result));
      add(spfSymbol(run.spf.result), "SPF " + r + " for " + run.spf.domain);
      if (run.spf.result == SpfResult::TempError) temperror = true;
      if (run.spf.result == SpfResult::Pass && run.spf.identity == "mailfrom")
        out.facts["spf.pass"].push_back(run.spf.domain);
      AuthResultEntry e{"spf", r, run.spf.explanation.size() < 120 ? run.spf.explanation : "", {}};
      if (run.spf.identity == "mailfrom")
        e.properties.push_back({"smtp.mailfrom", run.spf.domain});
      else
        e.properties.push_back({"smtp.helo", run.spf.domain});
      ar.push_back(std::move(e));
    }
    if (run.heloRan) {
      if (run.helo.result == SpfResult::Fail)
        add("SPF_HELO_FAIL", "SPF fail for HELO " + run.helo.domain);
      if (run.helo.result == SpfResult::SoftFail)
        add("SPF_HELO_SOFTFAIL", "SPF softfail for HELO " + run.helo.domain);
      if (!mailFrom.empty())
        ar.push_back({"spf",
                      std::string(spfResultName(run.helo.result)),
                      "",
                      {{"smtp.helo", run.helo.domain}}});
    }

    std::vector<DkimSignatureResult> sigs;
    if (settings.dkim) {
      sigs = dkim.verify(ctx.tx->message, run.keys);
      bool valid = false, invalid = false, perm = false, temp = false;
      for (const auto& s : sigs) {
        if (s.result == "pass") {
          valid = true;
          out.facts["dkim.pass"].push_back(s.domain);
        } else if (s.result == "fail")
          invalid = true;
        else if (s.result == "temperror")
          temp = true;
        else
          perm = true;
        ar.push_back({"dkim",
                      s.result,
                      s.reason,
                      {{"header.d", s.domain},
                       {"header.i", s.identity},
                       {"header.s", s.selector},
                       {"header.a", s.algorithm},
                       {"header.b", s.b}}});
      }
      if (valid) add("DKIM_VALID", "a valid DKIM signature");
      if (!valid && invalid) add("DKIM_INVALID", "DKIM signature does not verify");
      if (!valid && perm) add("DKIM_PERMERROR", "DKIM signature or key unusable");
      if (temp) {
        add("DKIM_TEMPERROR", "DNS error fetching a DKIM key");
        temperror = true;
      }
      if (sigs.empty()) {
        add("DKIM_NONE", "no DKIM signature");
        ar.push_back({"dkim", "none", "", {}});
      }
    }

    std::optional<core::ForcedAction> forced;
    if (settings.dmarc) {
      if (run.fromDomains.empty() || run.fromFields == 0)
        add("DMARC_MISSING_FROM", "no usable From address");
      if (run.fromDomains.empty()) {
        ar.push_back({"dmarc", "permerror", "no From address", {}});
      } else {
        if (run.fromFields > 1 || run.fromAddresses > 1)
          add("DMARC_MULTIPLE_FROM", "more than one From field or address");
        if (run.fromAmbiguous) add("DMARC_FROM_AMBIGUOUS", "From reads differently: " + run.fromWhy);
        // Several From domains: each is evaluated and the strictest outcome applies.
        std::optional<DmarcOutcome> worst;
        auto rank = [](const DmarcOutcome& o) {
          if (o.result == "fail")
            return 10 + (o.disposition == 'r' ? 3 : o.disposition == 'q' ? 2 : 1);
          if (o.result == "temperror") return 5;
          if (o.result == "pass") return 1;
          return 2;
        };
        for (const auto& d : run.fromDomains) {
          auto o = evaluateDmarc(d, run.dmarc[d], run.spf, sigs, [this] { return sample(); },
                                 run.fromAmbiguous);
          if (!worst || rank(o) > rank(*worst)) worst = o;
        }
        const DmarcOutcome& o = *worst;
        const std::string pol = o.policy == 'r'   ? "reject"
                                : o.policy == 'q' ? "quarantine"
                                                  : "none";
        AuthResultEntry e{"dmarc", o.result, "", {{"header.from", o.fromDomain}}};
        if (o.result == "pass" || o.result == "fail") {
          e.comment =
              std::string(o.orgRecord ? "Used Org Domain Record" : "Used From Domain Record") +
              (o.sampledOut ? ", pct= sampled out" : "");
          e.properties.push_back({"policy.dmarc", pol});
        } else if (!o.reason.empty()) {
          e.comment = o.reason;
        }
        if (run.fromAmbiguous) e.comment += e.comment.empty() ? "ambiguous From" : ", ambiguous From";
        ar.push_back(e);
        if (o.result == "pass") {
          add("DMARC_PASS", "DMARC pass for " + o.fromDomain);
          out.facts["dmarc.pass"].push_back(o.fromDomain);
        }
        if (o.result == "none") add("DMARC_NONE", "no DMARC policy for " + o.fromDomain);
        if (o.result == "temperror") {
          add("DMARC_TEMPERROR", o.reason);
          temperror = true;
        }
        if (o.result == "fail") {
          const std::string why = "DMARC fail for " + o.fromDomain + " (p=" + pol +
                                  (o.sampledOut ? ", sampled out" : "") + ")";
          if (o.disposition == 'r') {
            add("DMARC_POLICY_REJECT", why);
            if (settings.dmarcRejectAction != core::Action::Accept)
              forced = core::ForcedAction{
                  settings.dmarcRejectAction,
                  settings.dmarcRejectAction == core::Action::Reject
                      ? core::makeReply(550, "5.7.1",
                                        "Message rejected by the sender domain's DMARC policy")
                      : core::Reply{},
                  "DMARC_POLICY_REJECT"};
          } else if (o.disposition == 'q') {
            add("DMARC_POLICY_QUARANTINE", why);
            if (settings.dmarcQuarantineAction != core::Action::Accept)
              forced =
                  core::ForcedAction{settings.dmarcQuarantineAction, {}, "DMARC_POLICY_QUARANTINE"};
          } else {
            add("DMARC_POLICY_NONE", why);
          }
        }
      }
    }
    if (temperror) {
      add("AUTH_DNS_TEMPFAIL", "a DNS error left an authentication result open");
      // A DNS outage never turns into a reject: a forced DMARC action cannot come from a
      // temperror (evaluateDmarc gives none), and the configured answer is a 4xx or nothing.
      if (settings.tempErrorAction == TempErrorAction::Tempfail && !forced)
        forced = core::ForcedAction{
            core::Action::Tempfail,
            core::makeReply(451, "4.7.5",
                            "Sender authentication could not be completed; try again later"),
            "AUTH_DNS_TEMPFAIL"};
    }
    if (forced) out.force(*forced);
    out.headers.push_back({"Authentication-Results", authResultsValue(settings.authservId, ar)});
  }
};

AuthCheck::AuthCheck(std::shared_ptr<dns::Resolver> resolver, AuthSettings settings,
                     std::string hostname) {
  if (settings.authservId.empty()) settings.authservId = hostname;
  if (settings.scores.empty()) settings.scores = defaultAuthScores();
  impl_ = std::make_shared<Impl>(std::move(resolver), std::move(settings), std::move(hostname));
}

AuthCheck::~AuthCheck() = default;

void AuthCheck::run(const core::CheckContext& ctx, core::StageOutcome& out,
                    std::function<void()> done) const {
  if (!ctx.tx || !ctx.post) {
    done();
    return;
  }
  auto run = std::make_shared<Run>();
  run->post = ctx.post;
  // `ctx` and `out` stay valid until done() (the Check contract); `impl` keeps the verifiers.
  run->finish = [impl = impl_, &ctx, &out, run, done] {
    impl->finish(ctx, *run, out);
    done();
  };
  const auto& s = impl_->settings;
  const auto& info = ctx.session;
  const std::string ip = info.clientIp ? info.clientIp->str() : "";
  const std::string mailFrom = ctx.tx->mailFrom.null ? "" : ctx.tx->mailFrom.str();

  // No identity at all (a null sender and no HELO): there is nothing for SPF to check.
  if (s.spf && !ip.empty() && !(mailFrom.empty() && info.helo.empty())) {
    run->hold();
    asio::post(impl_->pool, [impl = impl_, run, ip, helo = info.helo, mailFrom] {
      auto spf = mailFrom.empty() ? impl->spf.checkHelo(ip, helo)
                                  : impl->spf.checkMailFrom(ip, helo, mailFrom);
      {
        std::lock_guard lock(run->mutex);
        run->spf = spf;
        run->spfRan = true;
      }
      run->release();
    });
    if (!mailFrom.empty() && !info.helo.empty()) {
      run->hold();
      asio::post(impl_->pool, [impl = impl_, run, ip, helo = info.helo] {
        auto h = impl->spf.checkHelo(ip, helo);
        {
          std::lock_guard lock(run->mutex);
          run->helo = h;
          run->heloRan = true;
        }
        run->release();
      });
    }
  }
  // One header parse serves the DKIM key names and the From domains.
  const mime::HeaderSection header = mime::parseHeaderSection(ctx.tx->message);
  if (s.dkim) {
    for (const auto& name : impl_->dkim.keyNames(header.fields)) {
      run->hold();
      impl_->resolver->lookup(name, dns::Type::TXT, [run, name](const dns::Answer& a) {
        {
          std::lock_guard lock(run->mutex);
          run->keys[name] = a;
        }
        run->release();
      });
    }
  }
  if (s.dmarc) {
    // Every domain a reader could show as the sender (distinct, the displayed ones first), at
    // most eight: each costs up to three lookups.
    FromReading from = readFrom(header);
    run->fromFields = from.fields;
    run->fromAddresses = from.addresses.size();
    run->fromAmbiguous = from.ambiguous;
    run->fromWhy = from.why;
    if (from.domains.size() > 8) {
      run->fromAmbiguous = true;
      run->fromWhy = "more than 8 From domains";
      from.domains.resize(8);
    }
    run->fromDomains = std::move(from.domains);
    for (const auto& d : run->fromDomains) impl_->discoverDmarc(run, d);
  }
  run->release();
}

}  // namespace portcullis::auth
