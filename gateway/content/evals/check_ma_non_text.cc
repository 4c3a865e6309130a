// check_ma_non_text: a multipart/alternative whose direct alternatives include something that
// is not text (MULTIPART_ALT_NON_TEXT); multipart/related and application/rtf are tolerated.
#include "gateway/content/evals/mime_evals.h"
#include "gateway/content/evals/mime_facts.h"

namespace portcullis::content::evals {

int checkMaNonText(const EvalContext& ctx, const Args& /*args*/) {
  const SaMimeTree& tree = ctx.facts<MimeFacts>().tree;
  for (size_t i = 0; i < tree.parts.size(); ++i) {
    if (tree.parts[i].type != "multipart/alternative") continue;
    // find_parts(qr/./, 1, 0): the leaves one level down (and the part itself if a leaf).
    auto leaves = tree.findParts([](const std::string&) { return true; }, true, i, false);
    for (const SaPart* p : leaves) {
      if (p->type == "multipart/related" || p->type == "application/rtf") continue;
      if (p->type.starts_with("text/")) continue;
      return 1;
    }
  }
  return 0;
}

}  // namespace portcullis::content::evals
