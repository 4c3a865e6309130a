#include "gateway/firewall/settings.h"

namespace portcullis::firewall {

std::string_view firewallActionName(FirewallAction a) {
  switch (a) {
    case FirewallAction::Ignore:
      return "ignore";
    case FirewallAction::Tempfail:
      return "tempfail";
    case FirewallAction::Reject:
      return "reject";
    case FirewallAction::Drop:
      return "drop";
  }
  return "?";
}

std::optional<core::ForcedAction> firewallForcedAction(FirewallAction a, const std::string& symbol,
                                                       const std::string& text) {
  switch (a) {
    case FirewallAction::Ignore:
      return std::nullopt;
    case FirewallAction::Tempfail:
      return core::ForcedAction{core::Action::Tempfail, core::makeReply(450, "4.7.1", text),
                                symbol};
    case FirewallAction::Reject:
      return core::ForcedAction{core::Action::Reject, core::makeReply(554, "5.7.1", text), symbol};
    case FirewallAction::Drop:
      return core::ForcedAction{core::Action::Tempfail, core::makeReply(421, "4.7.0", text),
                                symbol};
  }
  return std::nullopt;
}

std::map<std::string, double> defaultFirewallScores() {
  // Connection facts are evidence, not proof: each moves the verdict a little, and several
  // together (a pregreeting, unlisted, nameless client) add up.
  return {{"FW_PREGREET", 6.0},        {"FW_PIPELINING", 4.0},
          {"FW_NON_SMTP", 10.0},       {"FW_BARE_NEWLINE", 3.0},
          {"FW_TOO_MANY_ERRORS", 3.0}, {"FW_UNKNOWN_COMMANDS", 3.0},
          {"FW_DNSBL", 0.0},           {"FW_DNSWL", 0.0},
          {"FW_CACHED_FAIL", 0.0},     {"RDNS_NONE", 1.5},
          {"RDNS_NOT_CONFIRMED", 1.0}, {"HELO_OWN_NAME", 8.0},
          {"HELO_INVALID", 2.0},       {"HELO_BARE_IP", 2.0},
          {"HELO_NOT_FQDN", 1.0},      {"HELO_LITERAL_MISMATCH", 1.0},
          {"HELO_NXDOMAIN", 1.5}};
}

}  // namespace portcullis::firewall
