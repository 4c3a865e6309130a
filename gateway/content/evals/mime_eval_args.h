// Rule arguments the way the MIME, body and image evals read them: Perl numbers (a string's
// leading number, 0 when there is none) and optional trailing arguments.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::content::evals {

// Perl's numeric value of a string: "0.01" -> 0.01, "12abc" -> 12, "abc" -> 0.
double perlNumber(std::string_view text);
// The argument at `index` as a Perl number, nullopt when the rule gave fewer arguments.
std::optional<double> numberArg(const std::vector<std::string>& args, size_t index);

}  // namespace portcullis::content::evals
