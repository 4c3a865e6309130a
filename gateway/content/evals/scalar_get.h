// SpamAssassin's $pms->get($request) in scalar context as the Perl plugins call it: for the
// address-like queries (:addr, :name, :host, :domain, :ip, :revip) and EnvelopeFrom only the
// first value, without its final newline; otherwise every instance joined (EvalContext::get).
#pragma once
#include <string>
#include <string_view>

#include "gateway/content/evals/eval_context.h"

namespace portcullis::content::evals {

std::string scalarGet(const EvalContext& ctx, std::string_view request);

}  // namespace portcullis::content::evals
