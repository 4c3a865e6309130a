// SMTP command lines and paths: any bytes must parse or yield a reply, never crash, a parsed
// address must survive a round trip through its wire form, carries no ASCII control, and the
// SMTPUTF8 check (utf8Problem) agrees with an independent strict UTF-8 decoder.
#include <cstdint>
#include <string_view>

#include "fuzz/strict_utf8.h"
#include "gateway/smtp/command.h"
#include "gateway/smtp/utf8_address.h"

namespace {
// A path the parser accepted is accepted again in its own wire form (str() quotes what needs
// it): the relay writes exactly that form to the downstream.
void wireFormReparses(const portcullis::smtp::Command& cmd) {
  if (cmd.verb != portcullis::smtp::Verb::Mail && cmd.verb != portcullis::smtp::Verb::Rcpt) return;
  if (cmd.address.null) return;
  const std::string wire = "<" + cmd.address.str() + ">";
  std::string_view v = wire;
  if (!std::holds_alternative<portcullis::core::Address>(portcullis::smtp::parsePath(v, false)))
    __builtin_trap();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view line(reinterpret_cast<const char*>(data), size);
  auto r = portcullis::smtp::parseCommand(line);
  if (auto* cmd = std::get_if<portcullis::smtp::Command>(&r)) {
    wireFormReparses(*cmd);
    if ((cmd->verb == portcullis::smtp::Verb::Mail || cmd->verb == portcullis::smtp::Verb::Rcpt) &&
        !cmd->address.null) {
      for (unsigned char c : cmd->address.local)
        if (c < 0x20 || c == 0x7f) __builtin_trap();
      for (const std::string& part : {cmd->address.local, cmd->address.domain})
        if (portcullis::smtp::utf8Problem(part).has_value() ==
            portcullis::fuzz::strictUtf8WithoutControls(part))
          __builtin_trap();
      std::string wire = "<" + cmd->address.str() + ">";
      std::string_view v = wire;
      auto again = portcullis::smtp::parsePath(v, false);
      if (auto* a = std::get_if<portcullis::core::Address>(&again)) {
        if (a->local != cmd->address.local || a->domain != cmd->address.domain) __builtin_trap();
      }
    }
  }
  return 0;
}
