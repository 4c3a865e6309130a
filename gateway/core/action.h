// What the gateway does with a message once the verdict is in.
#pragma once
#include <optional>
#include <string_view>

namespace portcullis::core {

enum class Action { Accept, AddHeaders, Tempfail, Reject, Discard, Quarantine };

constexpr std::string_view actionName(Action a) {
  switch (a) {
    case Action::Accept: return "accept";
    case Action::AddHeaders: return "add_headers";
    case Action::Tempfail: return "tempfail";
    case Action::Reject: return "reject";
    case Action::Discard: return "discard";
    case Action::Quarantine: return "quarantine";
  }
  return "?";
}

std::optional<Action> parseAction(std::string_view name);

// Severity order used when several forced actions compete: the harshest wins.
constexpr int actionSeverity(Action a) {
  switch (a) {
    case Action::Accept: return 0;
    case Action::AddHeaders: return 1;
    case Action::Quarantine: return 2;
    case Action::Tempfail: return 3;
    case Action::Discard: return 4;
    case Action::Reject: return 5;
  }
  return 0;
}

}  // namespace portcullis::core
