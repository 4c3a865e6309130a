// `meta` rule expressions: boolean and arithmetic over other rules' hit counts, with Perl's
// operators and precedence (SpamAssassin evaluates them as Perl).
#pragma once
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

 private:
  enum class Op { Push, Name, Not, Neg, Mul, Div, Add, Sub, Lt, Gt, Le, Ge, Eq, Ne, And, Or };
  struct Instr {
    Op op;
    double number = 0;
    size_t name = 0;
    size_t jump = 0;  // And/Or: where evaluation continues when short-circuiting
  };
  std::vector<Instr> code_;
  std::vector<std::string> names_;
  friend class MetaParser;
};

}  // namespace portcullis::rules
