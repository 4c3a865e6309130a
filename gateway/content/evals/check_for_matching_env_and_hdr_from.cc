// __ENV_AND_HDR_FROM_MATCH: the envelope sender is the From address (case aside). Two blanks
// match, as in HeaderEval.pm.
#include "gateway/content/evals/relay_envelope_from.h"
#include "gateway/content/evals/relay_evals.h"

namespace portcullis::content::evals {
namespace {

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

}  // namespace

int checkForMatchingEnvAndHdrFrom(const EvalContext& ctx, const EvalArgs& /*args*/) {
  return lower(saEnvelopeFrom(ctx).value_or("")) == lower(firstAddress(ctx, "From")) ? 1 : 0;
}

}  // namespace portcullis::content::evals
