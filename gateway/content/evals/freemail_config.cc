#include "gateway/content/evals/freemail_config.h"

#include <cctype>
#include <cstdlib>

#include "gateway/content/evals/perl_quote.h"

namespace portcullis::content::evals {
namespace {

std::string lower(std::string_view s) {
  std::string out;
  for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool isWord(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// /\w[.@]\w/: something that looks like a domain or an address.
bool looksLikeDomainOrAddress(std::string_view s) {
  for (size_t i = 1; i + 1 < s.size(); ++i)
    if ((s[i] == '.' || s[i] == '@') && isWord(s[i - 1]) && isWord(s[i + 1])) return true;
  return false;
}

long numberSetting(const EvalSettings& settings, std::string_view key, long fallback) {
  std::string value(settings.last(key));
  if (value.empty()) return fallback;
  char* end = nullptr;
  double n = std::strtod(value.c_str(), &end);
  return *end ? fallback : static_cast<long>(n);
}

// FreeMail.pm's address pattern: a local part of at most 64 characters, one to four labels,
// and a TLD SpamAssassin knows (RegistryBoundaries' valid_tlds_re).
std::string emailPatternOver(const std::vector<std::string>& tlds) {
  if (tlds.empty()) return {};
  std::string alternation;
  for (const auto& tld : tlds) alternation += (alternation.empty() ? "" : "|") + perlQuote(tld);
  const std::string atom = "[a-z0-9!#$%&'*+/=?^_`{|}~-]";
  std::string pattern = "(?=.{0,64}\\@)(?<!" + atom + ")(" + atom + "+(?:\\." + atom +
                        "+)*\\@(?:[a-z0-9](?:[a-z0-9-]{0,59}[a-z0-9])?\\.){1,4}" +
                        "(?<![a-zA-Z0-9-])(?:" + alternation +
                        ")(?!(?:[a-zA-Z0-9-]|\\.[a-zA-Z0-9])))";
  return pattern;
}

}  // namespace

FreemailConfig::FreemailConfig(const EvalSettings& settings) {
  std::vector<std::string> wildcards;
  for (const std::string& word : settings.words("freemail_domains")) {
    bool valid = true;
    for (char c : word)
      valid &= std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '*' || c == '?' ||
               c == '-';
    if (!valid) continue;  // SpamAssassin warns and skips it
    std::string value = lower(word);
    if (value.find_first_of("*?") == std::string::npos) {
      domains_.insert(value);
      continue;
    }
    std::string re;
    for (char c : value)
      re += c == '.' ? "\\." : c == '?' ? "." : c == '*' ? "[^.]*" : std::string(1, c);
    wildcards.push_back(re);
  }
  if (!wildcards.empty()) {
    std::string alternation;
    for (const auto& w : wildcards) alternation += (alternation.empty() ? "" : "|") + w;
    wildcard_ = PcrePattern::compile("\\@(?:" + alternation + ")$", false);
  }
  for (const char* key : {"freemail_welcomelist", "freemail_whitelist"})
    for (const std::string& word : settings.words(key))
      if (looksLikeDomainOrAddress(lower(word))) welcomelist_.insert(lower(word));

  std::vector<std::string> tlds;
  for (const std::string& word : settings.words("util_rb_tld")) tlds.push_back(lower(word));
  if (std::string email = emailPatternOver(tlds); !email.empty()) {
    email_ = PcrePattern::compile(email, true);
    labelledEmail_ = PcrePattern::compile(
        "<?(?<!mailto:)" + email +
            "(?:>|\\s{1,10}(?!(?:fa(?:x|csi)|tel|phone|e?-?mail))[a-z]{2,11}:)",
        true);
  }

  // FreeMail.pm's $email_welcomelist: role and machine-made addresses.
  defaultWelcomelist_ = PcrePattern::compile(
      "^(?:abuse|support|sales|info|helpdesk|contact|kontakt|(?:post|host|domain)master"
      "|undisclosed.*|request-[a-f0-9]{16}|bounced?-"
      "|[a-f0-9]{8}(?:\\.[a-f0-9]{8}|-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12})"
      "|.+=.+=.+)\\@",
      true);
  // $skip_replyto_envfrom ("[._-t]" is a range in Perl too: '.' and '_' to 't').
  bulkEnvfrom_ = PcrePattern::compile(
      "(?:^(?:post|host|domain)master|^double-bounce|^(?:sentto|owner|return|(?:gr)?bounced?)-.+"
      "|-(?:request|bounces?|admin|owner)|\\b(?:do[._-t]?)?no[._-t]?repl(?:y|ies)|.+=.+)\\@",
      true);

  maxBodyEmails_ = numberSetting(settings, "freemail_max_body_emails", 5);
  maxBodyFreemails_ = numberSetting(settings, "freemail_max_body_freemails", 3);
  skipWhenOverMax_ = numberSetting(settings, "freemail_skip_when_over_max", 1) != 0;
  skipBulkEnvfrom_ = numberSetting(settings, "freemail_skip_bulk_envfrom", 1) != 0;
}

bool FreemailConfig::isFreemail(std::string_view email) const {
  if (email.empty()) return false;
  if (welcomelist_.contains(email)) return false;
  size_t at = email.rfind('@');
  std::string_view domain = at == std::string_view::npos ? email : email.substr(at + 1);
  if (welcomelist_.contains(domain)) return false;
  if (defaultWelcomelist_ && defaultWelcomelist_->search(email)) return false;
  return domains_.contains(domain) || (wildcard_ && wildcard_->search(email));
}

bool FreemailConfig::looksBulk(std::string_view envelopeFrom) const {
  return bulkEnvfrom_ && bulkEnvfrom_->search(envelopeFrom);
}

}  // namespace portcullis::content::evals
