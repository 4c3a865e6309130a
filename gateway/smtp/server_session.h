// The ESMTP server session as a sans-I/O state machine (RFC 5321, 1870, 2920, 3207, 6152,
// 6531, 2034). The driver feeds it bytes and asks it what to do next; the session answers
// everything that needs no policy or downstream itself, and hands the rest to the driver as
// events that the driver answers with a reply.
#pragma once
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/core/transaction.h"
#include "gateway/smtp/command.h"
#include "gateway/smtp/data_reader.h"
#include "gateway/smtp/long_header_lines.h"

namespace portcullis::smtp {

struct SessionSettings {
  std::string hostname = "localhost";
  size_t maxLineLength = 2048;             // command lines, CRLF included
  uint64_t maxMessageSize = 25 * 1024 * 1024;
  size_t maxRecipients = 1000;
  int maxErrors = 20;
  BareLineEndings bareLineEndings = BareLineEndings::Reject;
  LongHeaderLines longHeaderLines = LongHeaderLines::Reject;  // header lines over 998 bytes
  bool offerStartTls = true;
  // Protocol tests (the firewall's after-banner tests). true: 421 and close at the first
  // violation; false: the violation is recorded (takeViolations) and the session goes on.
  bool dropOnPipelining = true;   // commands sent ahead without PIPELINING (RFC 2920)
  bool dropOnNonSmtp = true;      // HTTP verbs, CONNECT, header lines: not an SMTP client
  bool dropOnBareNewline = true;  // a command ending in a bare <LF> (reject mode only)
  int maxUnknownCommands = 5;     // then 421 and close; 0 = no limit
};

// A protocol test the client failed; the firewall turns these into symbols.
struct Violation {
  enum class Kind { Pipelining, NonSmtp, BareNewline, TooManyErrors, UnknownCommands };
  Kind kind;
  std::string detail;  // the offending command, shortened and made printable
  // In message data: the session's own smuggling defence (521 and close) already acted; the
  // firewall records the symbol but takes no action of its own.
  bool inData = false;
};
std::string_view violationSymbol(Violation::Kind k);

class ServerSession {
 public:
  enum class Event {
    NeedInput,  // flush output, then read more bytes (or call eof()/idleTimeout())
    Helo,       // answer(): empty reply = accept with the default greeting response
    Mail,       // transaction() holds the new transaction; answer() decides
    Rcpt,       // pendingRecipient() is the address; answer() decides
    DataBegin,  // answer() with empty reply = 354
    Message,    // transaction()->message is complete; answer() with the final reply
    StartTls,   // flush output, run the TLS handshake, then call tlsStarted() or close
    Reset,      // the transaction ended without a message (RSET, HELO, error): tell downstream
    Close,      // flush output and close the connection
  };

  ServerSession(SessionSettings settings, core::SessionInfo info);

  // The connection is open and connect-stage checks have run. A positive (or empty) reply
  // sends the banner; 554 enters the rejecting state RFC 5321 3.1 describes; 421 closes.
  void greet(const core::Reply& reply = {});
  // The greeting delay: sends "220-" now; greet() sends the final line later. A refusal after
  // this completes the 220 (the code of a multi-line reply cannot change) and then refuses every
  // MAIL FROM with it, as postscreen does; a 421 still closes.
  void greetPartial();
  // From now on every MAIL FROM is answered with `reply` (a firewall decision after the banner).
  void refuseTransactions(core::Reply reply);
  bool refusingTransactions() const { return refusing_.has_value(); }
  // An allowlisted client: protocol violations are recorded, never a reason to close.
  void relaxProtocolTests() {
    settings_.dropOnPipelining = settings_.dropOnNonSmtp = settings_.dropOnBareNewline = false;
  }
  void receive(std::string_view bytes);
  void eof();
  void idleTimeout();
  // The client missed a deadline (RequestDeadlines): 421 4.4.2 naming it, and close.
  void tooSlow(const std::string& what);
  // The gateway is stopping: 421 and close (between transactions).
  void shutdown();
  Event next();
  void answer(core::Reply reply);
  void tlsStarted(core::TlsInfo tls);

  std::string takeOutput();
  bool hasOutput() const { return !out_.empty(); }
  bool closed() const { return closed_; }
  int errors() const { return errors_; }
  // For the driver's deadlines: part of a command line is buffered (or an over-long one is
  // being discarded); message data is being read; how many command lines were taken so far.
  bool midCommand() const { return !dataMode_ && (!in_.empty() || discardingLongLine_); }
  bool inData() const { return dataMode_; }
  uint64_t linesTaken() const { return linesTaken_; }
  std::vector<Violation> takeViolations() { return std::exchange(violations_, {}); }

  core::SessionInfo& info() { return info_; }
  const core::SessionInfo& info() const { return info_; }
  core::Transaction* transaction() { return tx_ ? &*tx_ : nullptr; }
  const core::Address& pendingRecipient() const { return pendingRcpt_; }

 private:
  enum class Await { None, Helo, Mail, Rcpt, DataBegin, Message };

  void handleLine(std::string_view line);
  void handleCommand(Command& cmd);
  void dataStep();
  [[noreturn]] void fatal(const char* what) const;
  void reply(const core::Reply& r);
  void reply(int code, std::string_view enhanced, std::string text);
  void error(int code, std::string_view enhanced, std::string text);
  void closeWith(int code, std::string_view enhanced, std::string text);
  std::string ehloResponse() const;
  std::optional<core::Reply> checkMailParams(const Command& cmd, core::Transaction& tx) const;
  static std::optional<core::Reply> checkAddressCharset(const core::Address& a, bool smtputf8);
  void endTransaction();
  void violation(Violation::Kind kind, std::string_view line, bool drop, std::string text);
  bool pipelinedAhead(const Command& cmd) const;

  SessionSettings settings_;
  core::SessionInfo info_;
  std::optional<core::Transaction> tx_;
  core::Address pendingRcpt_;
  std::optional<DataReader> reader_;
  std::deque<Event> queued_;
  std::string pendingHelo_;  // the HELO name to restore if the new one is refused
  std::string in_;
  std::string out_;
  Await await_ = Await::None;
  Verb heloVerb_ = Verb::Helo;
  bool greeted_ = false;
  bool partialGreeting_ = false;
  std::optional<core::Reply> refusing_;
  std::vector<Violation> violations_;
  int unknownCommands_ = 0;
  bool rejecting_ = false;
  core::Reply rejectReply_;
  bool dataMode_ = false;
  bool discardingLongLine_ = false;
  bool closed_ = false;
  bool eof_ = false;
  int errors_ = 0;
  uint64_t txCounter_ = 0;
  uint64_t linesTaken_ = 0;
};

}  // namespace portcullis::smtp
