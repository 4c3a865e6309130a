// The whole ESMTP session state machine fed arbitrary client bytes in arbitrary chunks, with
// events answered alternately yes and no. It must never abort (impossible states are fatal),
// every delivered message must be clean CRLF text with no header line over 998 bytes, and every
// address it hands on is ASCII, or strict UTF-8 in an SMTPUTF8 transaction.
#include <cstdint>
#include <string_view>

#include "fuzz/strict_utf8.h"
#include "gateway/mime/headers.h"
#include "gateway/smtp/server_session.h"

using namespace portcullis;
using Event = smtp::ServerSession::Event;

namespace {
void checkAddress(const core::Address& a, bool smtputf8) {
  for (const std::string& part : {a.local, a.domain})
    for (unsigned char c : part)
      if (c >= 0x80 && !smtputf8) __builtin_trap();
  if (smtputf8 &&
      !(fuzz::strictUtf8WithoutControls(a.local) && fuzz::strictUtf8WithoutControls(a.domain)))
    __builtin_trap();
}

// Over the header section as our parser reads it (a malformed line starts the body).
void checkHeaderLines(const std::string& m) {
  const size_t end = mime::parseHeaderSection(m).bodyOffset;
  size_t pos = 0;
  while (pos < end) {
    size_t nl = m.find("\r\n", pos);
    if (nl == std::string::npos) nl = m.size();
    if (nl - pos > smtp::kMaxHeaderLine) __builtin_trap();
    pos = nl + 2;
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  smtp::SessionSettings st;
  st.maxMessageSize = 4096;
  st.maxRecipients = 4;
  st.maxLineLength = 512;
  st.bareLineEndings = (data[0] & 1) ? smtp::BareLineEndings::Normalize : smtp::BareLineEndings::Reject;
  // The firewall's protocol tests: each either drops (421 and close) or only records.
  st.dropOnPipelining = data[0] & 2;
  st.dropOnNonSmtp = data[0] & 4;
  st.dropOnBareNewline = data[0] & 8;
  st.maxUnknownCommands = (data[0] >> 4) & 3;
  const size_t chunk = 1 + data[1] % 64;
  st.longHeaderLines = (data[1] & 64) ? smtp::LongHeaderLines::Fold : smtp::LongHeaderLines::Reject;
  smtp::ServerSession s(st, core::SessionInfo{});
  // The greeting delay's 220- and a refusal after it (transactions refused) or none.
  if (data[0] & 64) s.greetPartial();
  s.greet((data[0] & 128) ? core::makeReply(554, "5.7.1", "listed") : core::Reply{});
  std::string_view in(reinterpret_cast<const char*>(data + 2), size - 2);
  size_t pos = 0;
  unsigned flip = 0;
  for (int steps = 0; steps < 100000; ++steps) {
    Event e = s.next();
    s.takeViolations();
    if (e == Event::Close) break;
    if (e == Event::NeedInput) {
      s.takeOutput();
      if (pos >= in.size()) {
        s.eof();
        continue;
      }
      s.receive(in.substr(pos, chunk));
      pos += chunk;
      continue;
    }
    const bool yes = (++flip % 3) != 0;
    if (e == Event::Mail) checkAddress(s.transaction()->mailFrom, s.transaction()->smtputf8);
    if (e == Event::Rcpt) checkAddress(s.pendingRecipient(), s.transaction()->smtputf8);
    switch (e) {
      case Event::Helo:
      case Event::Mail:
      case Event::Rcpt:
      case Event::DataBegin:
        // Every ninth answer is a 421 (a firewall drop at HELO): the session must close.
        s.answer(yes ? core::Reply{}
                     : core::makeReply(flip % 9 == 0 ? 421 : 550, flip % 9 == 0 ? "4.7.0" : "5.7.1",
                                       "no"));
        break;
      case Event::Message: {
        const std::string& m = s.transaction()->message;
        for (size_t i = 0; i < m.size(); ++i)
          if (m[i] == '\0' || (m[i] == '\n' && (i == 0 || m[i - 1] != '\r'))) __builtin_trap();
        checkHeaderLines(m);
        s.answer(core::makeReply(yes ? 250 : 451, yes ? "2.0.0" : "4.3.0", "x"));
        break;
      }
      case Event::StartTls:
        s.tlsStarted({true, "TLSv1.3", "X"});
        break;
      default:
        break;
    }
  }
  return 0;
}
