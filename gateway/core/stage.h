// The SMTP stages at which checks run, in protocol order.
#pragma once
#include <string_view>

namespace portcullis::core {

enum class Stage { Connect, Helo, Mail, Rcpt, Data };

constexpr std::string_view stageName(Stage s) {
  switch (s) {
    case Stage::Connect: return "connect";
    case Stage::Helo: return "helo";
    case Stage::Mail: return "mail";
    case Stage::Rcpt: return "rcpt";
    case Stage::Data: return "data";
  }
  return "?";
}

}  // namespace portcullis::core
