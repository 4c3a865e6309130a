#include "gateway/checks/client_access_check.h"

namespace portcullis::checks {

void ClientAccessCheck::run(const core::CheckContext& ctx, core::StageOutcome& out,
                            std::function<void()> done) const {
  if (!ctx.session.clientIp) return done();
  const AccessEntry* e = table_->find(*ctx.session.clientIp);
  if (!e) return done();
  const std::string where = table_->file() + ":" + std::to_string(e->line);
  const std::string ip = ctx.session.clientIp->str();
  switch (e->action) {
    case AccessAction::Allow:
      out.symbols.push_back({"CLIENT_ALLOWLISTED", settings_.allowScore,
                             ip + " in " + e->range.str() + " (" + where + ")",
                             core::Stage::Connect});
      break;
    case AccessAction::Deny:
      out.symbols.push_back({"CLIENT_DENYLISTED", settings_.denyScore,
                             ip + " in " + e->range.str() + " (" + where + ")",
                             core::Stage::Connect});
      out.force({core::Action::Reject,
                 core::makeReply(554, "5.7.1",
                                 e->text.empty() ? "Client host [" + ip + "] blocked" : e->text),
                 "CLIENT_DENYLISTED"});
      break;
    case AccessAction::Tempfail:
      out.symbols.push_back({"CLIENT_TEMPFAIL_LISTED", 0, ip + " (" + where + ")",
                             core::Stage::Connect});
      out.force({core::Action::Tempfail,
                 core::makeReply(421, "4.7.0",
                                 e->text.empty() ? "Client host [" + ip + "] temporarily refused"
                                                 : e->text),
                 "CLIENT_TEMPFAIL_LISTED"});
      break;
  }
  done();
}

}  // namespace portcullis::checks
