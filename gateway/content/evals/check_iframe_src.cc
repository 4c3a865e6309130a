// check_iframe_src(): a part names a URI in an <iframe src>.
#include "gateway/content/evals/html_evals.h"
#include "gateway/content/evals/html_facts.h"

namespace portcullis::content::evals {

int checkIframeSrc(const EvalContext& context, const Args& /*args*/) {
  for (const auto& part : context.facts<HtmlFacts>().parts())
    for (const auto& [uri, detail] : part.uris)
      if (detail.types.count("iframe")) return 1;
  return 0;
}

}  // namespace portcullis::content::evals
