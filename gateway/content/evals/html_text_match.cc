// html_text_match(list, regex) and html_text_not_match(list, regex): an entry of a part's
// list result (comment, title, anchor, script) matches, or fails to match, the regex. The
// regex is written bare or delimited (/re/flags), as SpamAssassin's compile_regexp takes it.
#include <map>
#include <memory>
#include <mutex>

#include "gateway/content/evals/html_evals.h"
#include "gateway/content/evals/html_facts.h"
#include "rules/engine/full_regex.h"
#include "rules/engine/perl_regex.h"

namespace portcullis::content::evals {

namespace {

std::unique_ptr<rules::FullRegex> compileArgument(const std::string& text) {
  rules::PerlRegex re;
  re.pattern = text;
  const bool delimited =
      !text.empty() &&
      (text[0] == '/' || (text.size() > 1 && text[0] == 'm' &&
                          !std::isalnum(static_cast<unsigned char>(text[1])) && text[1] != ' '));
  if (delimited) {
    rules::RegexParse parsed = rules::parsePerlRegex(text);
    if (parsed.error.empty() && parsed.rest.find_first_not_of(" \t") == std::string_view::npos) {
      re = parsed.regex;
      if (re.extended) rules::applyExtended(re);
    }
  }
  std::string error;
  return rules::FullRegex::compile(re, &error);
}

// Compiled once per process: the argument comes from the rule file, and the eval runs for
// every message (a failed compile is remembered too).
std::shared_ptr<const rules::FullRegex> argumentRegex(const std::string& text) {
  static std::mutex lock;
  static std::map<std::string, std::shared_ptr<const rules::FullRegex>, std::less<>> cache;
  std::lock_guard guard(lock);
  auto it = cache.find(text);
  if (it == cache.end()) it = cache.emplace(text, compileArgument(text)).first;
  return it->second;
}

int matchList(const EvalContext& context, const Args& args, bool wantMatch) {
  if (args.size() != 2) return 0;
  const auto& parts = context.facts<HtmlFacts>().parts();
  if (parts.empty()) return 0;
  const auto regex = argumentRegex(args[1]);
  if (!regex) return 0;
  for (const auto& part : parts) {
    const auto* list = part.list(args[0]);
    if (!list) continue;
    for (const auto& entry : *list)
      if (regex->search(entry) == wantMatch) return 1;
  }
  return 0;
}

}  // namespace

int htmlTextMatch(const EvalContext& context, const Args& args) {
  return matchList(context, args, true);
}

int htmlTextNotMatch(const EvalContext& context, const Args& args) {
  return matchList(context, args, false);
}

}  // namespace portcullis::content::evals
