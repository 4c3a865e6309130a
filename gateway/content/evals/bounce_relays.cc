// VBounce.pm's welcomelist_bounce_relays (alias whitelist_bounce_relays): host name globs
// (* and ? only), lower-cased, as Conf::Parser::add_to_addrlist turns them into patterns.
#include "gateway/content/evals/relay_evals.h"

namespace portcullis::content::evals {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// add_to_addrlist replaces NUL, backslash and '(' in a glob by '_' before escaping the rest.
bool globMatches(std::string_view glob, std::string_view text) {
  size_t g = 0, t = 0, starG = std::string_view::npos, starT = 0;
  auto literal = [](char c) { return c == '\0' || c == '\\' || c == '(' ? '_' : c; };
  while (t < text.size()) {
    if (g < glob.size() && glob[g] == '*') {
      starG = g++;
      starT = t;
    } else if (g < glob.size() &&
               ((glob[g] == '?' && text[t] != '\n') || literal(glob[g]) == text[t])) {
      ++g;
      ++t;
    } else if (starG != std::string_view::npos) {
      g = starG + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (g < glob.size() && glob[g] == '*') ++g;
  return g == glob.size();
}

}  // namespace

BounceRelays::BounceRelays(const EvalSettings& settings) {
  for (const char* key : {"welcomelist_bounce_relays", "whitelist_bounce_relays"})
    for (const auto& word : settings.words(key)) globs.push_back(lower(word));
}

bool BounceRelays::matches(std::string_view host) const {
  std::string name = lower(host);
  for (const auto& glob : globs)
    if (glob == name || globMatches(glob, name)) return true;
  return false;
}

}  // namespace portcullis::content::evals
