// __MY_SERVERS_FOUND: a bounce quotes a Received line naming one of our own outbound relays
// (welcomelist_bounce_relays), so it answers mail we really sent. Looks at Received lines in
// the rendered body text, then at header blocks quoted anywhere in the raw body (attached
// message/* parts included).
#include "gateway/content/evals/relay_evals.h"
#include "gateway/content/evals/relay_pattern.h"

namespace portcullis::content::evals {
namespace {

bool perlSpace(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

// Perl's `while ($text =~ /D(\S+\.\S+)D/g)` where D is a space (`space` false) or \s: each
// match takes the delimiter after the name too, so a name right after a matched one is
// skipped, as there.
template <class Found>
bool anyDottedName(std::string_view text, bool anySpace, Found&& found) {
  auto delimiter = [&](char c) { return anySpace ? perlSpace(c) : c == ' '; };
  const size_t n = text.size();
  size_t pos = 0;
  while (true) {
    size_t lead = pos;
    while (lead < n && !(delimiter(text[lead]) && lead + 1 < n && !perlSpace(text[lead + 1])))
      ++lead;
    if (lead >= n) return false;
    size_t start = lead + 1, end = start;
    while (end < n && !perlSpace(text[end])) ++end;
    std::string_view name = text.substr(start, end - start);
    // \S+\.\S+: a dot with something on both sides.
    bool dotted =
        name.size() >= 3 && name.substr(1, name.size() - 2).find('.') != std::string_view::npos;
    if (dotted && end < n && delimiter(text[end])) {
      if (found(name)) return true;
      pos = end + 1;
    } else {
      pos = end;  // no start inside this name can match
    }
  }
}

// Everything after the header block's blank line (Message::get_pristine_body).
std::string_view pristineBody(std::string_view raw) {
  size_t lineStart = 0;
  while (lineStart < raw.size()) {
    size_t nl = raw.find('\n', lineStart);
    std::string_view line = raw.substr(
        lineStart, nl == std::string_view::npos ? std::string_view::npos : nl - lineStart);
    if (line.empty() || line == "\r")
      return nl == std::string_view::npos ? std::string_view{} : raw.substr(nl + 1);
    if (nl == std::string_view::npos) break;
    lineStart = nl + 1;
  }
  return {};
}

}  // namespace

int checkWelcomelistBounceRelays(const EvalContext& ctx, const BounceRelays& relays) {
  if (relays.globs.empty()) return 0;
  auto ours = [&](std::string_view name) { return relays.matches(name); };

  static const RelayPattern receivedLine(R"(^[> ]*Received:)", true);
  for (const auto& line : ctx.text().body())
    if (receivedLine.search(line) && anyDottedName(line, false, ours)) return 1;

  std::string_view body = pristineBody(ctx.raw());
  static const RelayPattern anyReceived("Received:", true);
  if (!anyReceived.search(body)) return 0;

  // Quoted header blocks: a Received line with its continuation lines.
  bool foundReceived = false;
  std::string header;
  size_t lineStart = 0;
  while (lineStart <= body.size()) {
    size_t nl = body.find('\n', lineStart);
    std::string_view line = body.substr(
        lineStart, nl == std::string_view::npos ? std::string_view::npos : nl - lineStart);
    lineStart = nl == std::string_view::npos ? body.size() + 1 : nl + 1;
    if (!foundReceived) {
      if (!receivedLine.search(line)) continue;
      foundReceived = true;
    }
    if (!line.empty() && perlSpace(line.front()))
      header += line;
    else
      header = line;
    if (receivedLine.search(header) && anyDottedName(header, true, ours)) return 1;
  }
  return 0;
}

}  // namespace portcullis::content::evals
