#include "gateway/content/evals/hotmail_received_facts.h"

#include "gateway/content/evals/relay_envelope_from.h"
#include "gateway/content/evals/relay_evals.h"
#include "gateway/content/evals/relay_pattern.h"

namespace portcullis::content::evals {
namespace {

std::string quoteMeta(std::string_view s) {
  std::string out;
  for (char c : s) {
    bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || static_cast<unsigned char>(c) >= 0x80;
    if (!word) out += '\\';
    out += c;
  }
  return out;
}

// The first capture of /<(\S+)\@groups\.msn\.com>/i and
// /from mail pickup service by ((?:p\d\d\.)groups\.msn\.com)\b/ written out by hand: the
// pattern class answers yes or no only.
std::string msnListName(std::string_view to) {
  static const RelayPattern listAddress(R"(<\S+\@groups\.msn\.com>)", true);
  if (!listAddress.search(to)) return {};
  for (size_t open = to.find('<'); open != std::string_view::npos; open = to.find('<', open + 1)) {
    size_t close = to.find('>', open);
    if (close == std::string_view::npos) break;
    std::string_view inside = to.substr(open + 1, close - open - 1);
    size_t at = inside.rfind('@');
    if (at == std::string_view::npos || at == 0) continue;
    std::string domain(inside.substr(at + 1));
    for (char& c : domain) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (domain == "groups.msn.com" &&
        inside.substr(0, at).find_first_of(" \t\r\n") == std::string_view::npos)
      return std::string(inside.substr(0, at));
  }
  return {};
}

std::string msnPickupServer(std::string_view received) {
  constexpr std::string_view marker = "from mail pickup service by p";
  for (size_t at = received.find(marker); at != std::string_view::npos;
       at = received.find(marker, at + 1)) {
    std::string_view rest = received.substr(at + marker.size() - 1);
    static const RelayPattern server(R"(^p\d\d\.groups\.msn\.com\b)");
    if (server.search(rest)) return std::string(rest.substr(0, 18));
  }
  return {};
}

}  // namespace

bool isMsnGroupsMessage(const EvalContext& ctx) {
  std::string listName = msnListName(ctx.get("To"));
  if (listName.empty()) return false;
  std::string server = msnPickupServer(ctx.get("Received"));
  if (server.empty()) return false;
  std::string messageId = ctx.get("Message-Id");
  if (listName == "notifications") {
    RelayPattern fromServer(R"(^<\S+\@)" + quoteMeta(server) + ">");
    return fromServer.search(messageId);
  }
  RelayPattern listMessage("^<" + quoteMeta(listName) + R"(-\S+\@groups\.msn\.com>)");
  if (!listMessage.search(messageId)) return false;
  RelayPattern bounce(quoteMeta(listName) + R"(-bounce\@groups\.msn\.com)");
  return bounce.search(saEnvelopeFrom(ctx).value_or(""));
}

HotmailReceivedFacts::HotmailReceivedFacts(const EvalContext& ctx) {
  std::string received = squashWhitespace(ctx.get("Received"));
  static const RelayPattern pickup(
      R"(from mail pickup service by hotmail\.com with Microsoft SMTPSVC;)");
  if (pickup.search(received)) return;
  // Microsoft passes Hotmail mail directly to MSN Group servers.
  if (isMsnGroupsMessage(ctx)) return;

  static const RelayPattern ipAddress(kSaIpAddress);
  static const RelayPattern originator(R"(hotmail\.com|msonline\-outlook)");
  auto ipHeader = ctx.getAll("X-Originating-Ip");
  auto orgHeader = ctx.getAll("X-OriginatorOrg");
  bool ip = !ipHeader.empty() && ipAddress.search(ctx.get("X-Originating-Ip"));
  bool org = !orgHeader.empty() && originator.search(ctx.get("X-OriginatorOrg"));

  if (gatedThroughReceivedHdrRemover(ctx, {})) return;

  // How Hotmail and Outlook.com write their Received lines; spammers do not.
  static const RelayPattern hotmailHost(
      R"(from (?:\S*\.)?hotmail.com \(\S+\.hotmail(?:\.msn)?\.com[ \)])");
  static const RelayPattern outlookHost(
      R"(from \S*\.outbound\.protection\.outlook\.com \(\S+\.outbound\.protection\.outlook\.com[ \)])");
  static const RelayPattern outlookInternal(
      R"(from \S*\.(?:eur|nam)prd\d+\.prod\.outlook\.com \()" + kSaIpAddress + R"(\))");
  static const RelayPattern hotmailLiteral(R"(from \S*\.hotmail.com \(\[)" + kSaIpAddress +
                                           R"(\][ \):])");
  static const RelayPattern hotmailWeb(R"(from \S+ by \S+\.hotmail(?:\.msn)?\.com with HTTP\;)");
  static const RelayPattern yahooGateway(R"(from \[66\.218.\S+\] by \S+\.yahoo\.com)");
  if (ip && (hotmailHost.search(received) || hotmailLiteral.search(received) ||
             hotmailWeb.search(received) || yahooGateway.search(received)))
    return;
  if (org && (outlookHost.search(received) || outlookInternal.search(received))) return;

  static const RelayPattern claimsHotmail(R"((?:from |HELO |helo=)\S*hotmail\.com\b)");
  if (claimsHotmail.search(received)) {
    forgedHotmailReceived = true;
    return;
  }
  static const RelayPattern hotmailAddress(R"(\bhotmail\.com$)", true);
  if (hotmailAddress.search(firstAddress(ctx, "From"))) hotmailAddressButNoHotmailReceived = true;
}

}  // namespace portcullis::content::evals
