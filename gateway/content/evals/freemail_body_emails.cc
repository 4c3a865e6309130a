#include "gateway/content/evals/freemail_body_emails.h"

#include <cctype>
#include <vector>

namespace portcullis::content::evals {
namespace {

// The per-message cache: the facts mechanism builds it from the message alone, and the first
// freemail eval that needs it fills it with the rule set's configuration.
struct FreemailBodyFacts {
  explicit FreemailBodyFacts(const EvalContext& /*ctx*/) {}
  mutable bool computed = false;
  mutable std::optional<std::set<std::string>> emails;
};

std::string lower(std::string_view s) {
  std::string out;
  for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// s{pattern}{ }g
std::string replaceAll(const PcrePattern& pattern, const std::string& text) {
  std::string out;
  size_t pos = 0;
  while (auto m = pattern.find(text, pos)) {
    out.append(text, pos, m->begin - pos);
    out += ' ';
    if (m->end == m->begin) {  // an empty match moves on one character, as Perl's does
      if (m->end < text.size()) out += text[m->end];
      pos = m->end + 1;
    } else {
      pos = m->end;
    }
    if (pos > text.size()) break;
  }
  if (pos < text.size()) out.append(text, pos);
  return out;
}

std::vector<std::string> addressesInBody(const FreemailConfig& config, const EvalContext& ctx) {
  std::vector<std::string> found;
  const PcrePattern* email = config.emailPattern();
  const PcrePattern* labelled = config.labelledEmailPattern();
  if (!email || !labelled) return found;
  // URLs that carry an address (tracking links) are not contact addresses.
  static const auto urlWithAddress =
      PcrePattern::compile(R"(<?https?://\S{0,255}(?:\@|%40)\S{0,255})", true);
  std::set<std::string> seen;
  for (const std::string& bodyLine : ctx.text().body()) {
    std::string line = replaceAll(*labelled, replaceAll(*urlWithAddress, bodyLine));
    for (size_t at = 0; auto m = email->find(line, at);) {
      std::string address = lower(m->group1);
      if (seen.insert(address).second) found.push_back(address);
      if (found.size() >= 40) return found;  // SpamAssassin's sanity limit
      at = m->end > at ? m->end : at + 1;
    }
  }
  return found;
}

}  // namespace

const std::optional<std::set<std::string>>& freemailBodyEmails(const FreemailConfig& config,
                                                               const EvalContext& ctx) {
  const auto& facts = ctx.facts<FreemailBodyFacts>();
  if (facts.computed) return facts.emails;
  facts.computed = true;
  std::set<std::string> freemails;
  long all = 0, free = 0;
  for (const std::string& address : addressesInBody(config, ctx)) {
    if (++all == config.maxBodyEmails() && config.skipWhenOverMax()) return facts.emails;
    if (!config.isFreemail(address)) continue;
    if (++free == config.maxBodyFreemails() && config.skipWhenOverMax()) return facts.emails;
    freemails.insert(address);
  }
  facts.emails = std::move(freemails);
  return facts.emails;
}

}  // namespace portcullis::content::evals
