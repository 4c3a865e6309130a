#include "gateway/milter/session.h"

#include <libmilter/mfapi.h>
#include <libmilter/mfdef.h>

#include "gateway/auth/auth_results.h"
#include "gateway/core/text.h"
#include "gateway/mime/headers.h"
#include "gateway/smtp/command.h"

namespace portcullis::milter {

namespace {

// What we may do to a message, and the replies we can do without.
constexpr uint32_t kActions = SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE;
constexpr uint32_t kProtocol =
    SMFIP_NR_HDR | SMFIP_NR_EOH | SMFIP_NR_BODY | SMFIP_NR_DATA | SMFIP_NR_UNKN | SMFIP_HDR_LEADSPC;
constexpr uint32_t kVersion = 6;

std::string continueReply() {
  return encodePacket(SMFIR_CONTINUE);
}

// The milter form of a refusal: a reply code packet, or plain tempfail/reject when the reply is
// not a valid SMTP one.
std::string refusal(const core::Reply& r, bool permanent) {
  if (r.code >= 400 && r.code < 600 && (r.code >= 500) == permanent)
    return encodeReplyCode(r.code, r.enhanced, r.text);
  return encodePacket(permanent ? SMFIR_REJECT : SMFIR_TEMPFAIL);
}

}  // namespace

MilterSession::MilterSession(std::string id, MilterSettings settings)
    : id_(std::move(id)), settings_(std::move(settings)) {
  info_.id = id_;
  info_.frontDoor = core::FrontDoor::Milter;
}

std::optional<std::string> MilterSession::macro(const std::string& name) const {
  // Later commands' macros are more specific (message over connection): search them first.
  for (char c :
       {SMFIC_BODYEOB, SMFIC_EOH, SMFIC_DATA, SMFIC_RCPT, SMFIC_MAIL, SMFIC_HELO, SMFIC_CONNECT}) {
    auto it = macros_.find(c);
    if (it == macros_.end()) continue;
    auto m = it->second.find(name);
    if (m == it->second.end() && name.size() > 2 && name.front() != '{')
      m = it->second.find("{" + name + "}");
    if (m != it->second.end()) return m->second;
  }
  return std::nullopt;
}

MilterSession::Step MilterSession::reply(std::string bytes, uint32_t noReplyFlag) {
  if (noReplyFlag && (negotiated_.protocol & noReplyFlag)) return Step{};
  Step s;
  s.kind = Step::Kind::Reply;
  s.bytes = std::move(bytes);
  return s;
}

MilterSession::Step MilterSession::stage(core::Stage st) {
  pending_ = st;
  Step s;
  s.kind = Step::Kind::RunStage;
  s.stage = st;
  return s;
}

void MilterSession::newTransaction() {
  tx_ = std::make_unique<core::Transaction>();
  tx_->id = id_ + "." + std::to_string(++txCount_);
  authResultsSeen_.clear();
  oversize_ = false;
  inBody_ = false;
}

// The message's macros end with it; the next message's MAIL macros arrive just before MAIL.
void MilterSession::endTransaction() {
  tx_.reset();
  for (char c : {SMFIC_MAIL, SMFIC_RCPT, SMFIC_DATA, SMFIC_EOH, SMFIC_BODYEOB}) macros_.erase(c);
}

void MilterSession::resetConnection() {
  info_ = core::SessionInfo{};
  info_.id = id_;
  info_.frontDoor = core::FrontDoor::Milter;
  tx_.reset();
  macros_.clear();
  pending_.reset();
}

void MilterSession::applyMacros(char forCommand) {
  if (forCommand == SMFIC_CONNECT) {
    if (auto a = macro("{daemon_addr}")) info_.serverIp = core::IpAddress::parse(*a);
  } else if (forCommand == SMFIC_HELO) {
    if (auto v = macro("{tls_version}"); v && !v->empty()) {
      info_.tls.active = true;
      info_.tls.version = *v;
      info_.tls.cipher = macro("{cipher}").value_or("");
    }
  }
}

MilterSession::Step MilterSession::handle(Command command) {
  if (negotiated_.version == 0 && !std::holds_alternative<OptNeg>(command) &&
      !std::holds_alternative<Quit>(command)) {
    Step s;
    s.kind = Step::Kind::Close;
    s.error = "a command before option negotiation";
    return s;
  }
  return std::visit(
      [&](auto& c) -> Step {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, OptNeg>) {
          if (c.version < 2) {
            Step s;
            s.kind = Step::Kind::Close;
            s.error = "milter protocol version " + std::to_string(c.version) + " (2 to 6 spoken)";
            return s;
          }
          negotiated_.version = std::min<uint32_t>(c.version, kVersion);
          negotiated_.actions = c.actions & kActions;
          negotiated_.protocol = c.protocol & kProtocol;
          Step s;
          s.kind = Step::Kind::Reply;
          s.bytes = encodeOptNeg(negotiated_);
          return s;
        } else if constexpr (std::is_same_v<T, Macros>) {
          auto& m = macros_[c.forCommand];
          for (auto& [k, v] : c.values) m[k] = v;
          applyMacros(c.forCommand);
          return Step{};  // macros are never answered
        } else if constexpr (std::is_same_v<T, Connect>) {
          // The connect macros came just before this command: keep them.
          auto connectMacros = macros_[SMFIC_CONNECT];
          resetConnection();
          macros_[SMFIC_CONNECT] = std::move(connectMacros);
          applyMacros(SMFIC_CONNECT);
          if (c.family == SMFIA_INET || c.family == SMFIA_INET6) {
            info_.clientIp = core::IpAddress::parse(c.address);
            info_.clientPort = c.port;
          }
          return stage(core::Stage::Connect);
        } else if constexpr (std::is_same_v<T, Helo>) {
          info_.helo = c.name;
          info_.esmtp = true;  // the milter protocol does not say; EHLO is the norm
          applyMacros(SMFIC_HELO);
          return stage(core::Stage::Helo);
        } else if constexpr (std::is_same_v<T, Envelope>) {
          if (c.mail) {
            newTransaction();
            auto a = smtp::parseAddressText(c.address, true);
            if (!a) return reply(encodeReplyCode(553, "5.1.7", "Malformed sender address"), 0);
            tx_->mailFrom = *a;
            for (const auto& p : c.params) {
              const std::string u = core::lowerAscii(p);
              if (u == "body=8bitmime") tx_->body8bit = true;
              if (u == "smtputf8") tx_->smtputf8 = true;
              if (u.starts_with("size=")) {
                try {
                  tx_->declaredSize = std::stoull(u.substr(5));
                } catch (...) {
                }
              }
            }
            return stage(core::Stage::Mail);
          }
          if (!tx_) newTransaction();  // RCPT without MAIL (SMFIP_NOMAIL negotiated elsewhere)
          auto a = smtp::parseAddressText(c.address, false);
          if (!a) return reply(encodeReplyCode(553, "5.1.3", "Malformed recipient address"), 0);
          tx_->recipients.push_back({*a, {}});
          return stage(core::Stage::Rcpt);
        } else if constexpr (std::is_same_v<T, Data>) {
          return reply(continueReply(), SMFIP_NR_DATA);
        } else if constexpr (std::is_same_v<T, Header>) {
          if (!tx_) newTransaction();
          std::string value = c.value;
          // Without SMFIP_HDR_LEADSPC the MTA removed the space after the colon.
          if (!(negotiated_.protocol & SMFIP_HDR_LEADSPC)) value = " " + value;
          // Folded values arrive with bare LF line ends.
          // No 998-byte header line limit here (smtp.long_header_lines is the SMTP door's):
          // the MTA hands us whole fields, and the message it queues is made of them. Postfix
          // joins a long line's pieces (line_length_limit) back into one field, and its SMTP
          // client folds long lines with <CRLF><SPACE> (smtp_line_length_limit), so a split
          // never starts a field we did not see.
          std::string field = c.name + ":" + value;
          std::string crlf;
          for (size_t i = 0; i < field.size(); ++i) {
            if (field[i] == '\n' && (i == 0 || field[i - 1] != '\r')) crlf += '\r';
            crlf += field[i];
          }
          if (tx_->message.size() + crlf.size() + 2 <= settings_.maxMessageBytes)
            tx_->message += crlf + "\r\n";
          else
            oversize_ = true;
          if (auth::isMangledAuthResultsName(c.name))
            authResultsSeen_.emplace_back(c.name, true);
          else if (core::lowerAscii(mime::trim(c.name)) == "authentication-results")
            authResultsSeen_.emplace_back(c.name,
                                          auth::claimsAuthservId(c.value, settings_.authservId));
          return reply(continueReply(), SMFIP_NR_HDR);
        } else if constexpr (std::is_same_v<T, EndOfHeaders>) {
          if (!tx_) newTransaction();
          tx_->message += "\r\n";
          inBody_ = true;
          return reply(continueReply(), SMFIP_NR_EOH);
        } else if constexpr (std::is_same_v<T, Body>) {
          if (!tx_) newTransaction();
          if (tx_->message.size() + c.chunk.size() <= settings_.maxMessageBytes)
            tx_->message += c.chunk;
          else
            oversize_ = true;
          return reply(continueReply(), SMFIP_NR_BODY);
        } else if constexpr (std::is_same_v<T, EndOfMessage>) {
          if (!tx_) newTransaction();
          if (!inBody_) tx_->message += "\r\n";  // SMFIP_NOEOH: the separator never came
          if (tx_->message.size() + c.chunk.size() <= settings_.maxMessageBytes)
            tx_->message += c.chunk;
          else
            oversize_ = true;
          Step s;
          s.kind = Step::Kind::EndOfMessage;
          return s;
        } else if constexpr (std::is_same_v<T, Abort>) {
          endTransaction();  // the next message starts with MAIL (several per connection)
          pending_.reset();
          return Step{};
        } else if constexpr (std::is_same_v<T, Quit>) {
          if (c.newConnection) {
            resetConnection();
            return Step{};
          }
          Step s;
          s.kind = Step::Kind::Close;
          return s;
        } else {
          static_assert(std::is_same_v<T, Unknown>);
          return reply(continueReply(), SMFIP_NR_UNKN);
        }
      },
      command);
}

std::string MilterSession::stageDone(const core::StageOutcome& outcome) {
  const auto st = pending_;
  pending_.reset();
  if (!st) return "";
  if (*st == core::Stage::Connect || *st == core::Stage::Helo) {
    for (const auto& s : outcome.symbols) info_.connectVerdict.add(s);
    if (outcome.clientName) info_.clientName = *outcome.clientName;
    if (outcome.iprev) info_.iprev = *outcome.iprev;
    info_.allowlisted = info_.allowlisted || outcome.allowlisted;
  } else if (tx_) {
    for (const auto& s : outcome.symbols) tx_->verdict.add(s);
  }
  if (outcome.forced) {
    const auto& f = *outcome.forced;
    // A refused recipient leaves the transaction (it was added when RCPT arrived).
    if (*st == core::Stage::Rcpt && tx_ && !tx_->recipients.empty()) tx_->recipients.pop_back();
    switch (f.action) {
      case core::Action::Reject:
        return refusal(f.reply, true);
      case core::Action::Tempfail:
        return refusal(f.reply, false);
      case core::Action::Discard:
        return encodePacket(SMFIR_DISCARD);
      default:
        break;
    }
  }
  return continueReply();
}

std::string MilterSession::finish(const core::Decision& d,
                                  const std::vector<core::HeaderField>& add) {
  std::string out;
  switch (d.action) {
    case core::Action::Reject:
    case core::Action::Tempfail: {
      core::Reply r = d.reply;
      r.text += " (ref " + (tx_ ? tx_->id : id_) + ")";
      out = refusal(r, d.action == core::Action::Reject);
      break;
    }
    case core::Action::Discard:
      out = encodePacket(SMFIR_DISCARD);
      break;
    case core::Action::Quarantine:
    case core::Action::Accept:
    case core::Action::AddHeaders: {
      if (negotiated_.actions & SMFIF_CHGHDRS) {
        // The index counts fields of the same name (case-insensitive, as the MTA matches
        // them); the last first, so the earlier indexes stay valid as fields go.
        for (size_t i = authResultsSeen_.size(); i-- > 0;) {
          const auto& [name, remove] = authResultsSeen_[i];
          if (!remove) continue;
          uint32_t index = 1;
          for (size_t j = 0; j < i; ++j)
            index += mime::iequals(authResultsSeen_[j].first, name) ? 1 : 0;
          out += encodeChangeHeader(index, name, "");
        }
      }
      if (negotiated_.actions & SMFIF_ADDHDRS) {
        // Inserted at the top, in order: the last inserted ends up first, so go backwards.
        // With SMFIP_HDR_LEADSPC the MTA writes the value as given, space included.
        const std::string lead = (negotiated_.protocol & SMFIP_HDR_LEADSPC) ? " " : "";
        for (size_t i = add.size(); i-- > 0;)
          out += negotiated_.version >= 6
                     ? encodeInsertHeader(0, add[i].first, lead + add[i].second)
                     : encodeAddHeader(add[i].first, lead + add[i].second);
      }
      if (d.action == core::Action::Quarantine) {
        if (negotiated_.actions & SMFIF_QUARANTINE) {
          out += encodeQuarantine("Portcullis: " + d.decidedBy + " (ref " + (tx_ ? tx_->id : id_) +
                                  ")");
        } else {
          // No quarantine offered by the MTA: hold the message back rather than deliver it.
          out = encodeReplyCode(451, "4.3.0", "Message held for review; try again later");
          break;
        }
      }
      out += continueReply();
      break;
    }
  }
  endTransaction();
  return out;
}

}  // namespace portcullis::milter
