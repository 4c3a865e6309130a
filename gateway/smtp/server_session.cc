#include "gateway/smtp/server_session.h"

#include "gateway/core/text.h"
#include "gateway/mime/headers.h"
#include "gateway/smtp/utf8_address.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

namespace portcullis::smtp {

using core::makeReply;
using core::Reply;

ServerSession::ServerSession(SessionSettings settings, core::SessionInfo info)
    : settings_(std::move(settings)), info_(std::move(info)) {}

void ServerSession::fatal(const char* what) const {
  std::fprintf(stderr, "portcullis: fatal: smtp session state: %s\n", what);
  std::abort();
}

void ServerSession::reply(const Reply& r) {
  out_ += r.format();
}

void ServerSession::reply(int code, std::string_view enhanced, std::string text) {
  reply(makeReply(code, std::string(enhanced), std::move(text)));
}

std::string_view violationSymbol(Violation::Kind k) {
  switch (k) {
    case Violation::Kind::Pipelining:
      return "FW_PIPELINING";
    case Violation::Kind::NonSmtp:
      return "FW_NON_SMTP";
    case Violation::Kind::BareNewline:
      return "FW_BARE_NEWLINE";
    case Violation::Kind::TooManyErrors:
      return "FW_TOO_MANY_ERRORS";
    case Violation::Kind::UnknownCommands:
      return "FW_UNKNOWN_COMMANDS";
  }
  return "FW_PROTOCOL";
}

namespace {

bool isHttpOrHeaderLine(std::string_view line) {
  // HTTP request lines (and proxies' CONNECT), as postscreen's forbidden commands.
  static constexpr std::string_view kVerbs[] = {
      "GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ", "TRACE ", "PATCH ", "CONNECT "};
  for (auto v : kVerbs)
    if (mime::iequals(line.substr(0, v.size()), v)) return true;
  // A header line ("Host: x", "User-Agent: y"): a token directly followed by ':'. No SMTP verb
  // is followed by ':' without a space before it.
  size_t i = 0;
  while (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '-'))
    ++i;
  return i > 0 && i < line.size() && line[i] == ':' &&
         std::isalpha(static_cast<unsigned char>(line[0]));
}

}  // namespace

void ServerSession::violation(Violation::Kind kind, std::string_view line, bool drop,
                              std::string text) {
  violations_.push_back({kind, core::logExcerpt(line, 60)});
  if (drop) closeWith(421, "4.7.0", settings_.hostname + " Error: " + text + "; closing");
}

bool ServerSession::pipelinedAhead(const Command& cmd) const {
  // RFC 2920 3.1: without PIPELINING (HELO, or no hello yet) every command waits for its reply;
  // with it, EHLO, DATA, VRFY, EXPN, NOOP and AUTH must still end a group. QUIT closes anyway,
  // and what follows STARTTLS is discarded, never run.
  if (in_.empty() || cmd.verb == Verb::Quit || cmd.verb == Verb::StartTls) return false;
  if (!info_.esmtp) return true;
  switch (cmd.verb) {
    case Verb::Ehlo:
    case Verb::Helo:
    case Verb::Data:
    case Verb::Vrfy:
    case Verb::Expn:
    case Verb::Noop:
    case Verb::Auth:
      return true;
    default:
      return false;
  }
}

void ServerSession::error(int code, std::string_view enhanced, std::string text) {
  reply(code, enhanced, std::move(text));
  if (++errors_ >= settings_.maxErrors) {
    violations_.push_back({Violation::Kind::TooManyErrors, std::to_string(errors_) + " errors"});
    closeWith(421, "4.7.0", settings_.hostname + " Error: too many errors");
  }
}

void ServerSession::closeWith(int code, std::string_view enhanced, std::string text) {
  if (closed_) return;
  reply(code, enhanced, std::move(text));
  closed_ = true;
  endTransaction();
}

void ServerSession::endTransaction() {
  tx_.reset();
  reader_.reset();
  dataMode_ = false;
}

void ServerSession::greetPartial() {
  partialGreeting_ = true;
  out_ += "220-" + settings_.hostname + " ESMTP Portcullis\r\n";
}

void ServerSession::refuseTransactions(Reply r) {
  refusing_ = std::move(r);
}

void ServerSession::greet(const Reply& r) {
  greeted_ = true;
  if (r.empty() || r.positive()) {
    reply(220, "", settings_.hostname + (partialGreeting_ ? " ready" : " ESMTP Portcullis"));
  } else if ((partialGreeting_ || r.code / 100 == 4) && r.code != 421) {
    reply(220, "", settings_.hostname + (partialGreeting_ ? " ready" : " ESMTP Portcullis"));
    refusing_ = r;
  } else if (r.code == 421) {
    closeWith(421, r.enhanced,
              r.text.empty() ? settings_.hostname + " Service not available" : r.text);
  } else {
    rejecting_ = true;
    rejectReply_ = r;
    reply(554, "", r.text.empty() ? settings_.hostname + " Service not available" : r.text);
  }
}

std::string ServerSession::takeOutput() {
  std::string o;
  o.swap(out_);
  return o;
}

void ServerSession::receive(std::string_view bytes) {
  in_.append(bytes);
}

void ServerSession::eof() {
  eof_ = true;
}

void ServerSession::idleTimeout() {
  closeWith(421, "4.4.2", settings_.hostname + " Error: timeout exceeded");
}

void ServerSession::tooSlow(const std::string& what) {
  closeWith(421, "4.4.2", settings_.hostname + " Error: timeout exceeded: " + what + "; closing");
}

void ServerSession::shutdown() {
  closeWith(421, "4.3.2", settings_.hostname + " Service shutting down; try again later");
}

void ServerSession::tlsStarted(core::TlsInfo tls) {
  // RFC 3207 4.2: discard all knowledge obtained from the client before TLS.
  info_.tls = std::move(tls);
  info_.helo.clear();
  info_.esmtp = false;
  endTransaction();
  in_.clear();
}

ServerSession::Event ServerSession::next() {
  while (true) {
    if (!queued_.empty()) {
      Event e = queued_.front();
      queued_.pop_front();
      return e;
    }
    if (closed_) return Event::Close;
    if (!greeted_) fatal("next() before greet()");
    if (await_ != Await::None) fatal("next() while an event awaits its answer");
    if (dataMode_) {
      dataStep();
      if (!queued_.empty() || closed_) continue;
      if (eof_) {
        closed_ = true;  // client went away mid-DATA: the message is dropped, never relayed
        endTransaction();
        continue;
      }
      return Event::NeedInput;
    }
    if (discardingLongLine_) {
      auto nl = in_.find('\n');
      if (nl == std::string::npos) {
        in_.clear();
        if (eof_) closed_ = true;
        if (closed_) continue;
        return Event::NeedInput;
      }
      in_.erase(0, nl + 1);
      discardingLongLine_ = false;
      ++linesTaken_;
      error(500, "5.5.2", "Error: line too long");
      continue;
    }
    auto nl = in_.find('\n');
    if (nl == std::string::npos) {
      if (in_.size() >= settings_.maxLineLength) {
        discardingLongLine_ = true;
        in_.clear();
        continue;
      }
      if (eof_) {
        closed_ = true;
        endTransaction();
        continue;
      }
      return Event::NeedInput;
    }
    ++linesTaken_;
    if (nl + 1 > settings_.maxLineLength) {
      in_.erase(0, nl + 1);
      error(500, "5.5.2", "Error: line too long");
      continue;
    }
    std::string line = in_.substr(0, nl);
    in_.erase(0, nl + 1);
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    } else if (settings_.bareLineEndings == BareLineEndings::Reject) {
      violation(Violation::Kind::BareNewline, line, settings_.dropOnBareNewline,
                "bare <LF> received");
      if (!closed_) error(500, "5.5.2", "Error: bare <LF> received; commands end with <CR><LF>");
      continue;
    }
    if (line.find('\r') != std::string::npos || line.find('\0') != std::string::npos) {
      error(500, "5.5.2", "Error: bare <CR> or NUL in command");
      continue;
    }
    handleLine(line);
  }
}

void ServerSession::handleLine(std::string_view line) {
  if (isHttpOrHeaderLine(line)) {
    violation(Violation::Kind::NonSmtp, line, settings_.dropOnNonSmtp, "non-SMTP command");
    if (!closed_) error(502, "5.5.2", "Error: command not recognized");
    return;
  }
  auto parsed = parseCommand(line);
  if (auto* err = std::get_if<Reply>(&parsed)) {
    error(err->code, err->enhanced, err->text);
    return;
  }
  Command cmd = std::get<Command>(std::move(parsed));
  if (rejecting_) {
    // RFC 5321 3.1: after a 554 greeting, wait for QUIT and answer 503 to anything else.
    if (cmd.verb == Verb::Quit) {
      closeWith(221, "2.0.0", "Bye");
    } else if (cmd.verb == Verb::Noop) {
      reply(250, "2.0.0", "Ok");
    } else {
      error(503, "5.5.1", "Error: access denied: " + rejectReply_.text);
    }
    return;
  }
  if (pipelinedAhead(cmd)) {
    violation(Violation::Kind::Pipelining, line, settings_.dropOnPipelining,
              "SMTP protocol synchronization (command sent before the reply to the previous one)");
    if (closed_) return;
  }
  handleCommand(cmd);
}

void ServerSession::handleCommand(Command& cmd) {
  auto noArgs = [&](std::string_view syntaxText) {
    if (cmd.argument.find_first_not_of(' ') == std::string::npos) return true;
    error(501, "5.5.4", "Syntax: " + std::string(syntaxText));
    return false;
  };
  switch (cmd.verb) {
    case Verb::Helo:
    case Verb::Ehlo: {
      std::string arg = cmd.argument;
      while (!arg.empty() && arg.back() == ' ') arg.pop_back();
      bool printable = !arg.empty() && std::all_of(arg.begin(), arg.end(), [](unsigned char c) {
        return c > 0x20 && c < 0x7f;
      });
      if (!printable) {
        error(501, "5.5.4",
              cmd.verb == Verb::Ehlo ? "Syntax: EHLO hostname" : "Syntax: HELO hostname");
        return;
      }
      if (tx_) {
        endTransaction();  // RFC 5321 4.1.4: EHLO resets the transaction
        queued_.push_back(Event::Reset);
      }
      // Checks at the helo stage see the name claimed; a refused HELO restores the old one.
      pendingHelo_ = info_.helo;
      info_.helo = arg;
      heloVerb_ = cmd.verb;
      await_ = Await::Helo;
      queued_.push_back(Event::Helo);
      return;
    }
    case Verb::Mail: {
      if (info_.helo.empty()) return error(503, "5.5.1", "Error: send HELO/EHLO first");
      if (refusing_) return reply(*refusing_);
      if (tx_) return error(503, "5.5.1", "Error: nested MAIL command");
      core::Transaction tx;
      char id[32];
      std::snprintf(id, sizeof id, "%s.%llu", info_.id.c_str(),
                    static_cast<unsigned long long>(++txCounter_));
      tx.id = id;
      tx.mailFrom = cmd.address;
      if (auto err = checkMailParams(cmd, tx)) return error(err->code, err->enhanced, err->text);
      if (auto err = checkAddressCharset(cmd.address, tx.smtputf8))
        return error(err->code, err->enhanced, err->text);
      tx_ = std::move(tx);
      await_ = Await::Mail;
      queued_.push_back(Event::Mail);
      return;
    }
    case Verb::Rcpt: {
      if (!tx_) return error(503, "5.5.1", "Error: need MAIL command");
      if (!cmd.params.empty())
        return error(555, "5.5.4", "Error: unsupported RCPT parameter " + cmd.params.front().first);
      if (auto err = checkAddressCharset(cmd.address, tx_->smtputf8))
        return error(err->code, err->enhanced, err->text);
      if (tx_->recipients.size() >= settings_.maxRecipients)
        return reply(452, "4.5.3", "Error: too many recipients");
      pendingRcpt_ = cmd.address;
      await_ = Await::Rcpt;
      queued_.push_back(Event::Rcpt);
      return;
    }
    case Verb::Data:
      if (!tx_) return error(503, "5.5.1", "Error: need MAIL command");
      if (tx_->recipients.empty()) return error(554, "5.5.1", "Error: no valid recipients");
      if (!noArgs("DATA")) return;
      await_ = Await::DataBegin;
      queued_.push_back(Event::DataBegin);
      return;
    case Verb::Rset:
      if (!noArgs("RSET")) return;
      if (tx_) {
        endTransaction();
        queued_.push_back(Event::Reset);
      }
      return reply(250, "2.0.0", "Ok");
    case Verb::Noop:
      return reply(250, "2.0.0", "Ok");
    case Verb::Quit:
      return closeWith(221, "2.0.0", "Bye");
    case Verb::Vrfy:
      if (cmd.argument.find_first_not_of(' ') == std::string::npos)
        return error(501, "5.5.4", "Syntax: VRFY address");
      return reply(252, "2.0.0", "Cannot VRFY user, but will accept message and attempt delivery");
    case Verb::Help:
      return reply(214, "2.0.0",
                   "Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP" +
                       std::string(settings_.offerStartTls ? " STARTTLS" : ""));
    case Verb::StartTls:
      if (!settings_.offerStartTls) return error(502, "5.5.1", "Error: command not implemented");
      if (info_.tls.active) return error(554, "5.5.1", "Error: TLS already active");
      if (!noArgs("STARTTLS")) return;
      if (tx_) return error(503, "5.5.1", "Error: MAIL transaction in progress");
      reply(220, "2.0.0", "Ready to start TLS");
      // Plaintext pipelined behind STARTTLS is discarded, never executed after the handshake.
      in_.clear();
      queued_.push_back(Event::StartTls);
      return;
    case Verb::Expn:
    case Verb::Bdat:
    case Verb::Auth:
    case Verb::Etrn:
      return error(502, "5.5.1", "Error: command not implemented");
    case Verb::Unknown:
      error(502, "5.5.2", "Error: command not recognized");
      if (!closed_ && settings_.maxUnknownCommands > 0 &&
          ++unknownCommands_ >= settings_.maxUnknownCommands) {
        violations_.push_back({Violation::Kind::UnknownCommands,
                               std::to_string(unknownCommands_) + " unknown commands"});
        closeWith(421, "4.7.0", settings_.hostname + " Error: too many unknown commands; closing");
      }
      return;
  }
}

std::optional<Reply> ServerSession::checkMailParams(const Command& cmd,
                                                    core::Transaction& tx) const {
  for (const auto& [key, value] : cmd.params) {
    if (!info_.esmtp) return makeReply(555, "5.5.4", "Error: parameters need EHLO");
    if (key == "SIZE") {
      uint64_t n = 0;
      if (value.empty() || value.size() > 19 ||
          !std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); }))
        return makeReply(501, "5.5.4", "Error: bad SIZE value");
      n = std::stoull(value);
      if (n > settings_.maxMessageSize)
        return makeReply(552, "5.3.4", "Error: message size exceeds fixed limit");
      tx.declaredSize = n;
    } else if (key == "BODY") {
      std::string v = value;
      std::transform(v.begin(), v.end(), v.begin(),
                     [](unsigned char c) { return std::toupper(c); });
      if (v == "8BITMIME")
        tx.body8bit = true;
      else if (v != "7BIT")
        return makeReply(501, "5.5.4", "Error: BODY must be 7BIT or 8BITMIME");
    } else if (key == "SMTPUTF8") {
      if (!value.empty()) return makeReply(501, "5.5.4", "Error: SMTPUTF8 takes no value");
      tx.smtputf8 = true;
    } else {
      return makeReply(555, "5.5.4", "Error: unsupported MAIL parameter " + key);
    }
  }
  return std::nullopt;
}

std::optional<Reply> ServerSession::checkAddressCharset(const core::Address& a, bool smtputf8) {
  if (!containsNonAscii(a.local) && !containsNonAscii(a.domain)) return std::nullopt;
  if (!smtputf8) return makeReply(553, "5.6.7", "Error: non-ASCII address requires SMTPUTF8");
  return checkSmtpUtf8Address(a);  // RFC 6531 3.3: UTF-8, and only UTF-8
}

std::string ServerSession::ehloResponse() const {
  std::string text = settings_.hostname + "\nPIPELINING\nSIZE " +
                     std::to_string(settings_.maxMessageSize) + "\nVRFY\nENHANCEDSTATUSCODES\n" +
                     "8BITMIME\nSMTPUTF8";
  if (settings_.offerStartTls && !info_.tls.active) text += "\nSTARTTLS";
  return makeReply(250, "", text).format();
}

void ServerSession::dataStep() {
  auto r = reader_->feed(in_, tx_->message);
  in_.erase(0, r.consumed);
  switch (r.status) {
    case DataReader::Status::NeedMore:
      return;
    case DataReader::Status::End:
      dataMode_ = false;
      if (reader_->overflowed()) {
        error(552, "5.3.4", "Error: message file too big");
        endTransaction();
        queued_.push_back(Event::Reset);
        return;
      }
      // Before any check judges the header fields: what is judged is what goes downstream.
      if (auto limited = limitHeaderLines(tx_->message, settings_.longHeaderLines);
          limited.refusal) {
        error(limited.refusal->code, limited.refusal->enhanced, limited.refusal->text);
        endTransaction();
        queued_.push_back(Event::Reset);
        return;
      }
      await_ = Await::Message;
      queued_.push_back(Event::Message);
      return;
    case DataReader::Status::Violation:
      violations_.push_back(
          {Violation::Kind::BareNewline, std::string(r.violation) + " in message data", true});
      // The client's idea of where the message ends may differ from ours: refuse and close
      // rather than guess (as Postfix's smtpd_forbid_bare_newline does).
      closeWith(
          521, "5.5.2",
          settings_.hostname + " Error: " + std::string(r.violation) + " received in message data");
      return;
  }
}

void ServerSession::answer(Reply r) {
  const Await a = await_;
  await_ = Await::None;
  // RFC 5321 3.8: 421 means the server is closing the connection.
  if (r.code == 421) {
    if (a == Await::Helo) info_.helo = pendingHelo_;
    closeWith(421, r.enhanced, r.text);
    return;
  }
  switch (a) {
    case Await::None:
      fatal("answer() without a pending event");
    case Await::Helo:
      if (r.empty() || r.positive()) {
        info_.esmtp = heloVerb_ == Verb::Ehlo;
        if (info_.esmtp)
          out_ += ehloResponse();
        else
          reply(250, "", settings_.hostname);
      } else {
        info_.helo = pendingHelo_;
        reply(r);
      }
      return;
    case Await::Mail:
      if (r.empty()) r = makeReply(250, "2.1.0", "Ok");
      if (!r.positive()) tx_.reset();
      return reply(r);
    case Await::Rcpt:
      if (r.empty()) r = makeReply(250, "2.1.5", "Ok");
      if (r.positive() && tx_) tx_->recipients.push_back({pendingRcpt_, r});
      return reply(r);
    case Await::DataBegin:
      if (r.empty() || r.code == 354) {
        reply(354, "", "End data with <CR><LF>.<CR><LF>");
        dataMode_ = true;
        reader_.emplace(settings_.bareLineEndings, settings_.maxMessageSize);
        tx_->message.clear();
        return;
      }
      return reply(r);
    case Await::Message:
      reply(r);
      endTransaction();
      return;
  }
}

}  // namespace portcullis::smtp
