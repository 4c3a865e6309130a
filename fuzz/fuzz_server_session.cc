// The whole ESMTP session state machine fed arbitrary client bytes in arbitrary chunks, with
// events answered alternately yes and no. It must never abort (impossible states are fatal),
// every delivered message must be clean CRLF text (no NUL, no bare LF, no bare CR), and a 421
// answer closes the session without reading another byte.
#include <cstdint>
#include <string_view>

#include "gateway/smtp/server_session.h"

using namespace portcullis;
using Event = smtp::ServerSession::Event;

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
  smtp::ServerSession s(st, core::SessionInfo{});
  // The greeting delay's 220- and a refusal after it (transactions refused) or none.
  if (data[0] & 64) s.greetPartial();
  s.greet((data[0] & 128) ? core::makeReply(554, "5.7.1", "listed") : core::Reply{});
  std::string_view in(reinterpret_cast<const char*>(data + 2), size - 2);
  size_t pos = 0;
  unsigned flip = 0;
  bool answered421 = false;
  for (int steps = 0; steps < 100000; ++steps) {
    Event e = s.next();
    s.takeViolations();
    if (e == Event::Close) break;
    // After a 421 only the end of the transaction (Reset) may come before Close.
    if (answered421 && e != Event::Reset) __builtin_trap();
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
    switch (e) {
      case Event::Helo:
      case Event::Mail:
      case Event::Rcpt:
      case Event::DataBegin:
        // Every ninth answer is a 421 (a firewall drop at HELO): the session must close.
        answered421 = !yes && flip % 9 == 0;
        s.answer(yes ? core::Reply{}
                     : core::makeReply(flip % 9 == 0 ? 421 : 550, flip % 9 == 0 ? "4.7.0" : "5.7.1",
                                       "no"));
        break;
      case Event::Message: {
        const std::string& m = s.transaction()->message;
        for (size_t i = 0; i < m.size(); ++i)
          if (m[i] == '\0' || (m[i] == '\n' && (i == 0 || m[i - 1] != '\r')) ||
              (m[i] == '\r' && (i + 1 == m.size() || m[i + 1] != '\n')))
            __builtin_trap();
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
