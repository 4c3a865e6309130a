// SpamAssassin's freemail eval functions: the list of those implemented, one file each. The
// freemail settings are parsed once here and shared by the functions of this rule set.
#include "gateway/content/evals/freemail_evals.h"

#include <memory>

#include "gateway/content/evals/eval_registry.h"

namespace portcullis::content::evals {

void registerFreemailEvals(EvalRegistry& registry, const EvalSettings& settings) {
  auto config = std::make_shared<const FreemailConfig>(settings);
  auto bind = [config](auto function) {
    return [config, function](const EvalContext& ctx, const std::vector<std::string>& args) {
      return function(*config, ctx, args);
    };
  };
  registry.add("check_freemail_from", bind(checkFreemailFrom));
  registry.add("check_freemail_header", bind(checkFreemailHeader));
  registry.add("check_freemail_replyto", bind(checkFreemailReplyto));
  registry.add("check_freemail_body", bind(checkFreemailBody));
}

}  // namespace portcullis::content::evals
