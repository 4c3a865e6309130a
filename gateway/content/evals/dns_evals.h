// SpamAssassin's DNS-based evals (DNSEval.pm): network tests, run only with
// rules.network_tests on and a resolver.
#pragma once
#include "gateway/content/evals/eval_registry.h"

namespace portcullis::content::evals {

int checkRbl(const EvalContext& ctx, const std::vector<std::string>& args);
int checkRblTxt(const EvalContext& ctx, const std::vector<std::string>& args);
int checkRblSub(const EvalContext& ctx, const std::vector<std::string>& args);
EvalPlanner checkRblPlanner();
EvalPlanner checkRblTxtPlanner();

}  // namespace portcullis::content::evals
