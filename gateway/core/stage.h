// The SMTP stages at which checks run, in protocol order.
#pragma once
#include <string_view>

namespace portcullis::core {

// Verdict runs after the data-stage checks have finished, so its checks (reputation) can read
// what those established: their facts, in tx->facts.
enum class Stage { Connect, Helo, Mail, Rcpt, Data, Verdict };

constexpr std::string_view stageName(Stage s) {
  switch (s) {
    case Stage::Connect: return "connect";
    case Stage::Helo: return "helo";
    case Stage::Mail: return "mail";
    case Stage::Rcpt: return "rcpt";
    case Stage::Data: return "data";
    case Stage::Verdict: return "verdict";
  }
  return "?";
}

}  // namespace portcullis::core
