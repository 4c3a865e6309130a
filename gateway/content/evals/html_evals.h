// SpamAssassin's HTMLEval plugin functions and the URI evals that read HTML.pm's results
// (URIEval's check_https_ip_mismatch, HTTPSMismatch's check_https_http_mismatch), one file
// each. Each loops over the message's HTML parts (HtmlFacts) and hits when one qualifies.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "gateway/content/evals/eval_context.h"

namespace portcullis::content::evals {

using Args = std::vector<std::string>;

int htmlTest(const EvalContext& context, const Args& args);
int htmlRange(const EvalContext& context, const Args& args);
int htmlEval(const EvalContext& context, const Args& args);
int htmlTagExists(const EvalContext& context, const Args& args);
int htmlTagBalance(const EvalContext& context, const Args& args);
int htmlImageOnly(const EvalContext& context, const Args& args);
int htmlImageRatio(const EvalContext& context, const Args& args);
int htmlTextMatch(const EvalContext& context, const Args& args);
int htmlTextNotMatch(const EvalContext& context, const Args& args);
int htmlTitleSubjectRatio(const EvalContext& context, const Args& args);
// `okLocales`: the ok_locales setting's words ("all" by default, which never hits).
int htmlCharsetFaraway(const EvalContext& context, const std::vector<std::string>& okLocales);
int checkIframeSrc(const EvalContext& context, const Args& args);
int checkHttpsIpMismatch(const EvalContext& context, const Args& args);
class RegistryBoundaries;
int checkHttpsHttpMismatch(const EvalContext& context, const Args& args,
                           const RegistryBoundaries& registryBoundaries);

// The comparison HTMLEval evaluates as Perl ("$val $expr"): `expr` is an operator (<, <=, >,
// >=, ==, !=) and a number, e.g. "< 384", "!= 0". Anything else is no hit (`valid` false).
bool htmlCompare(double value, std::string_view expr, bool* valid = nullptr);
// A rule argument as Perl numifies it ("0400" is 400, ".05" is 0.05, junk is 0).
double perlNumber(std::string_view text);

}  // namespace portcullis::content::evals
