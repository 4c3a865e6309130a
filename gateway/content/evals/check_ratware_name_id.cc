// check_ratware_name_id (HeaderEval.pm): a Message-ID of 28 capitals, a dot and a tail that
// reappears as the From address behind a quoted name: one ratware's signature.
#include <cctype>

#include "gateway/content/evals/header_evals.h"
#include "gateway/content/evals/pcre_pattern.h"
#include "gateway/content/evals/perl_quote.h"

namespace portcullis::content::evals {

int checkRatwareNameId(const EvalContext& ctx, const EvalArgs& /*args*/) {
  static const auto id = PcrePattern::compile(R"(<[A-Z]{28}\.([^>]+?)>)", false);
  std::string mid = ctx.get("MESSAGEID");
  auto m = id->find(mid);
  if (!m) return 0;
  auto from = PcrePattern::compile("\"[^\"]+\"\\s*<" + perlQuote(m->group1) + ">", false);
  return from && from->search(ctx.get("From")) ? 1 : 0;
}

}  // namespace portcullis::content::evals
