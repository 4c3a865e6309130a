// The milter front door on arbitrary bytes from an MTA: packet framing, command decoding and
// the session's state machine, with each pipeline stage answered alternately with "continue"
// and a refusal. Invariants: it returns; every reply it writes is whole, well-framed packets.
#include <libmilter/mfdef.h>

#include <cstdint>
#include <string>

#include "gateway/milter/codec.h"
#include "gateway/milter/session.h"

using namespace portcullis;
using namespace portcullis::milter;

namespace {
void checkFramed(const std::string& bytes) {
  PacketReader r(1 << 20);
  r.feed(bytes);
  while (r.next()) {
  }
  if (!r.error().empty() || r.buffered() != 0) __builtin_trap();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  PacketReader reader(1 << 16);
  // Fed in two pieces, to cross packet boundaries.
  const std::string in(reinterpret_cast<const char*>(data), size);
  reader.feed(in.substr(0, size / 2));
  MilterSession session("F", {"gw.test", 4096});
  int stages = 0;
  bool fedRest = false;
  for (int guard = 0; guard < 10000; ++guard) {
    auto p = reader.next();
    if (!p) {
      if (fedRest) break;
      reader.feed(in.substr(size / 2));
      fedRest = true;
      continue;
    }
    auto decoded = decodeCommand(*p);
    if (std::holds_alternative<std::string>(decoded)) {
      if (std::get<std::string>(decoded).empty()) __builtin_trap();  // errors say why
      break;
    }
    auto step = session.handle(std::move(std::get<Command>(decoded)));
    using Kind = MilterSession::Step::Kind;
    if (step.kind == Kind::Reply || step.kind == Kind::Close) checkFramed(step.bytes);
    if (step.kind == Kind::Close) break;
    if (step.kind == Kind::RunStage) {
      core::StageOutcome o;
      if (++stages % 2 == 0)
        o.force({core::Action::Reject, core::Reply{550, "5.7.1", "no\n100%"}, "FUZZ"});
      checkFramed(session.stageDone(o));
    } else if (step.kind == Kind::EndOfMessage) {
      core::Decision d;
      d.action = static_cast<core::Action>(stages % 6);
      d.reply = {451, "4.7.1", "later"};
      checkFramed(
          session.finish(d, {{"X-Spam", "no"}, {"Authentication-Results", "gw.test; none"}}));
    }
  }
  return 0;
}
