// `meta` rule expressions: boolean and arithmetic over other rules' hit counts, with Perl's
// operators and precedence (SpamAssassin evaluates them as Perl).
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::rules {

class MetaExpression {
 public:
  // Parses `expr`; on failure returns false with `error` set. Rule names are collected in
  // names() in order of first use; operands refer to them by index.
  bool parse(std::string_view expr, std::string* error);
  const std::vector<std::string>& names() const { return names_; }
  // `value(i)` gives the hit count of names()[i]. A non-zero result means the meta hits.
  double evaluate(const std::function<double(size_t)>& value) const;
  // The same where names()[i] is rule deps[i] (-1: undefined, reads 0) and a rule's count is
  // counts[rule]: the scan's form, without a call through std::function per operand.
  double evaluateCounts(const std::vector<std::ptrdiff_t>& deps,
                        const std::vector<int>& counts) const;

 private:
  enum class Op { Push, Name, Not, Neg, Mul, Div, Add, Sub, Lt, Gt, Le, Ge, Eq, Ne, And, Or };
  struct Instr {
    Op op;
    double number = 0;
    size_t name = 0;
    size_t jump = 0;  // And/Or: where evaluation continues when short-circuiting
  };
  template <typename Value>
  double run(const Value& value) const;
  std::vector<Instr> code_;
  std::vector<std::string> names_;
  friend class MetaParser;
};

}  // namespace portcullis::rules
