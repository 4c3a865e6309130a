// check_for_to_in_subject (HeaderEval.pm): the subject names the recipient - the whole address
// ('address') or its local part the way a personalised spam greets ("bob: your order",
// "Re: bob") ('user').
#include "gateway/content/evals/header_evals.h"
#include "gateway/content/evals/perl_quote.h"
#include "gateway/content/evals/scalar_get.h"
#include "rules/engine/full_regex.h"

namespace portcullis::content::evals {
namespace {

bool matches(const std::string& pattern, bool caseless, const std::string& text) {
  rules::PerlRegex re;
  re.pattern = pattern;
  re.caseless = caseless;
  std::string error;
  auto compiled = rules::FullRegex::compile(re, &error);
  return compiled && compiled->search(text);
}

}  // namespace

int checkForToInSubject(const EvalContext& ctx, const EvalArgs& args) {
  if (args.empty()) return 0;
  std::string to = scalarGet(ctx, "To:addr");
  if (to.empty()) return 0;
  std::string subject = ctx.get("Subject");
  if (args[0] == "address") return matches("\\b" + perlQuote(to) + "\\b", true, subject) ? 1 : 0;
  if (args[0] != "user") return 0;
  std::string user = to.substr(0, to.find('@'));
  std::string q = perlQuote(user);
  // Perl's $ also matches before a final newline.
  std::string pattern = "^(?:(?:re|fw):\\s*(?:\\w+\\s+)?" + q + "(?=\\n?\\z)|(?-i:" + q +
                        ")\\s*[,:;!?-](?:(?=\\n?\\z)|\\s)|" + q + "(?=\\n?\\z)|,\\s*" + q +
                        "[,:;!?-](?=\\n?\\z))";
  return matches(pattern, true, subject) ? 1 : 0;
}

}  // namespace portcullis::content::evals
