#include "gateway/checks/relay_domains_check.h"

#include "gateway/core/text.h"

namespace portcullis::checks {

namespace {
// Lower-cased, without the root dot: "Example.COM." is example.com.
std::string canonicalDomain(std::string_view s) {
  std::string out = core::lowerAscii(s);
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}
}  // namespace

RelayDomains::RelayDomains(const std::vector<std::string>& entries) {
  for (const auto& e : entries) {
    std::string d = canonicalDomain(e);
    if (d.empty()) continue;
    if (d.front() == '.')
      parents_.insert(d);
    else
      exact_.insert(d);
  }
}

bool RelayDomains::contains(std::string_view domain) const {
  std::string d = canonicalDomain(domain);
  if (d.empty()) return false;
  if (exact_.contains(d)) return true;
  for (auto dot = d.find('.'); dot != std::string::npos; dot = d.find('.', dot + 1))
    if (parents_.contains(std::string_view(d).substr(dot))) return true;
  return false;
}

void RelayDomainsCheck::run(const core::CheckContext& ctx, core::StageOutcome& out,
                            std::function<void()> done) const {
  // Behind an MTA (the milter door), relaying is the MTA's decision: it calls us only for
  // recipients its own restrictions accepted, for mail it may also be sending out.
  if (ctx.session.frontDoor == core::FrontDoor::Milter) return done();
  const core::Address& rcpt = *ctx.rcpt;
  auto deny = [&](std::string why) {
    out.force(
        {core::Action::Reject, core::makeReply(554, "5.7.1", std::move(why)), "RCPT_RELAY_DENIED"});
  };
  const std::string addr = "<" + rcpt.str() + ">";
  if (rcpt.domain.empty() && core::lowerAscii(rcpt.local) == "postmaster") {
    // RFC 5321 4.5.1: <Postmaster> without a domain must be accepted; the downstream owns it.
  } else if (rcpt.domain.empty() || rcpt.domain.front() == '[') {
    deny(addr + ": Relay access denied");
  } else if (!domains_.contains(rcpt.domain)) {
    deny(addr + ": Relay access denied");
  } else if (rcpt.local.find_first_of("%!@") != std::string::npos) {
    deny(addr + ": Relay access denied (routing characters in the local part)");
  }
  done();
}

}  // namespace portcullis::checks
