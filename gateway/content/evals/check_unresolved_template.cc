// check_unresolved_template (HeaderEval.pm): a header line with a mail-merge placeholder left
// in (%FROM_NAME, %RND_DIGIT...), outside the headers where a '%' and capitals are ordinary.
#include <cctype>
#include <string_view>

#include "gateway/content/evals/header_evals.h"
#include "gateway/content/evals/pcre_pattern.h"

namespace portcullis::content::evals {

int checkUnresolvedTemplate(const EvalContext& ctx, const EvalArgs& /*args*/) {
  static const auto exempt = PcrePattern::compile(
      "^(?:X-VMS-To|X-UIDL|X-Face|To|Cc|From|Subject|References|In-Reply-To|"
      "(?:X-|Resent-|X-Original-)?Message-Id):",
      true);
  std::string all = ctx.get("ALL");
  std::string_view rest = all;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    bool placeholder = false;
    for (size_t i = 0; i + 2 < line.size() && !placeholder; ++i) {
      char b = line[i + 2];
      placeholder = line[i] == '%' && line[i + 1] >= 'A' && line[i + 1] <= 'Z' &&
                    ((b >= 'A' && b <= 'Z') || b == '_' || b == '-');
    }
    if (placeholder && !exempt->search(line)) return 1;
  }
  return 0;
}

}  // namespace portcullis::content::evals
