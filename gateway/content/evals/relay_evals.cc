// SpamAssassin's relay eval functions: the list of those implemented, one file each.
#include "gateway/content/evals/eval_registry.h"

namespace portcullis::content::evals {

void registerRelayEvals(EvalRegistry& /*registry*/, const EvalSettings& /*settings*/) {}

}  // namespace portcullis::content::evals
