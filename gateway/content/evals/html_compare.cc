// HTMLEval lets only [<>=!+- 0-9] through to Perl's eval; the stock rules use the
// "operator number" form, the one read here.
#include <cstdlib>
#include <string>

#include "gateway/content/evals/html_evals.h"

namespace portcullis::content::evals {

// perlNumber: mime_eval_args.cc (one reading of Perl numbers for every family).

bool htmlCompare(double value, std::string_view expr, bool* valid) {
  if (valid) *valid = false;
  for (char c : expr)
    if (!(c == '<' || c == '>' || c == '=' || c == '!' || c == '-' || c == '+' || c == ' ' ||
          (c >= '0' && c <= '9')))
      return false;
  while (!expr.empty() && expr.front() == ' ') expr.remove_prefix(1);
  std::string_view op;
  for (std::string_view candidate : {"<=", ">=", "==", "!=", "<", ">"})
    if (expr.substr(0, candidate.size()) == candidate) {
      op = candidate;
      break;
    }
  if (op.empty()) return false;
  std::string_view number = expr.substr(op.size());
  while (!number.empty() && number.front() == ' ') number.remove_prefix(1);
  while (!number.empty() && number.back() == ' ') number.remove_suffix(1);
  size_t digits = number.find_first_not_of("+-");
  if (digits == std::string_view::npos || digits > 1 || number.size() == digits ||
      number.substr(digits).find_first_not_of("0123456789") != std::string_view::npos)
    return false;
  const double n = perlNumber(number);
  if (valid) *valid = true;
  if (op == "<") return value < n;
  if (op == "<=") return value <= n;
  if (op == ">") return value > n;
  if (op == ">=") return value >= n;
  if (op == "==") return value == n;
  return value != n;
}

}  // namespace portcullis::content::evals
