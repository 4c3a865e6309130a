#include "rules/engine/meta_expression.h"

#include <cctype>
#include <cstdlib>

namespace portcullis::rules {

// Precedence climbing over Perl's levels: || < && < == != < < > <= >= < + - < * / < ! unary-.
class MetaParser {
 public:
  MetaParser(std::string_view s, MetaExpression& e) : s_(s), e_(e) {}

  bool run(std::string* error) {
    next();
    if (!parseBinary(0)) {
      *error = error_;
      return false;
    }
    if (tok_ != Tok::End) {
      *error = "unexpected '" + std::string(text_) + "'";
      return false;
    }
    return true;
  }

 private:
  using Op = MetaExpression::Op;
  enum class Tok { End, Number, Name, Operator, LParen, RParen, Bad };

  void next() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    if (pos_ >= s_.size()) {
      tok_ = Tok::End;
      text_ = {};
      return;
    }
    size_t start = pos_;
    char c = s_[pos_];
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '.' && pos_ + 1 < s_.size() &&
         std::isdigit(static_cast<unsigned char>(s_[pos_ + 1])))) {
      while (pos_ < s_.size() &&
             (std::isdigit(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '.'))
        ++pos_;
      // A token like 3ABC is a rule name in SpamAssassin's lexer.
      if (pos_ < s_.size() &&
          (std::isalpha(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) {
        while (pos_ < s_.size() &&
               (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_'))
          ++pos_;
        tok_ = Tok::Name;
      } else {
        tok_ = Tok::Number;
      }
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      while (pos_ < s_.size() &&
             (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_'))
        ++pos_;
      tok_ = Tok::Name;
    } else if (c == '(') {
      ++pos_;
      tok_ = Tok::LParen;
    } else if (c == ')') {
      ++pos_;
      tok_ = Tok::RParen;
    } else {
      static const char* ops[] = {"&&", "||", ">=", "<=", "==", "!=", "!",
                                  ">",  "<",  "+",  "-",  "*",  "/"};
      tok_ = Tok::Bad;
      for (const char* op : ops) {
        std::string_view o(op);
        if (s_.substr(pos_, o.size()) == o) {
          pos_ += o.size();
          tok_ = Tok::Operator;
          break;
        }
      }
      if (tok_ == Tok::Bad) ++pos_;
    }
    text_ = s_.substr(start, pos_ - start);
  }

  static int precedence(std::string_view op) {
    if (op == "||") return 1;
    if (op == "&&") return 2;
    if (op == "==" || op == "!=") return 3;
    if (op == "<" || op == ">" || op == "<=" || op == ">=") return 4;
    if (op == "+" || op == "-") return 5;
    if (op == "*" || op == "/") return 6;
    return 0;
  }
  static Op binaryOp(std::string_view op) {
    if (op == "||") return Op::Or;
    if (op == "&&") return Op::And;
    if (op == "==") return Op::Eq;
    if (op == "!=") return Op::Ne;
    if (op == "<") return Op::Lt;
    if (op == ">") return Op::Gt;
    if (op == "<=") return Op::Le;
    if (op == ">=") return Op::Ge;
    if (op == "+") return Op::Add;
    if (op == "-") return Op::Sub;
    if (op == "*") return Op::Mul;
    return Op::Div;
  }

  bool parseUnary() {
    if (++depth_ > 200) {
      error_ = "expression nested too deeply";
      return false;
    }
    bool ok = parseUnaryInner();
    --depth_;
    return ok;
  }

  bool parseUnaryInner() {
    if (tok_ == Tok::Operator && (text_ == "!" || text_ == "-")) {
      Op op = text_ == "!" ? Op::Not : Op::Neg;
      next();
      if (!parseUnary()) return false;
      e_.code_.push_back({op});
      return true;
    }
    if (tok_ == Tok::Number) {
      e_.code_.push_back({Op::Push, std::strtod(std::string(text_).c_str(), nullptr)});
      next();
      return true;
    }
    if (tok_ == Tok::Name) {
      size_t index = e_.names_.size();
      for (size_t i = 0; i < e_.names_.size(); ++i)
        if (e_.names_[i] == text_) index = i;
      if (index == e_.names_.size()) e_.names_.emplace_back(text_);
      e_.code_.push_back({Op::Name, 0, index});
      next();
      return true;
    }
    if (tok_ == Tok::LParen) {
      next();
      if (!parseBinary(0)) return false;
      if (tok_ != Tok::RParen) {
        error_ = "missing ')'";
        return false;
      }
      next();
      return true;
    }
    error_ = tok_ == Tok::End ? "expression ends early" : "unexpected '" + std::string(text_) + "'";
    return false;
  }

  bool parseBinary(int minPrecedence) {
    if (!parseUnary()) return false;
    while (tok_ == Tok::Operator && precedence(text_) > minPrecedence) {
      std::string_view op = text_;
      int prec = precedence(op);
      Op code = binaryOp(op);
      next();
      size_t jumpAt = 0;
      if (code == Op::And || code == Op::Or) {
        jumpAt = e_.code_.size();
        e_.code_.push_back({code});
      }
      if (!parseBinary(prec)) return false;
      if (code == Op::And || code == Op::Or)
        e_.code_[jumpAt].jump = e_.code_.size();
      else
        e_.code_.push_back({code});
    }
    return true;
  }

  std::string_view s_;
  MetaExpression& e_;
  size_t pos_ = 0;
  int depth_ = 0;
  Tok tok_ = Tok::End;
  std::string_view text_;
  std::string error_;
};

bool MetaExpression::parse(std::string_view expr, std::string* error) {
  code_.clear();
  names_.clear();
  MetaParser parser(expr, *this);
  return parser.run(error);
}

double MetaExpression::evaluate(const std::function<double(size_t)>& value) const {
  return run(value);
}

double MetaExpression::evaluateCounts(const std::vector<std::ptrdiff_t>& deps,
                                      const std::vector<int>& counts) const {
  return run([&](size_t k) {
    const std::ptrdiff_t d = deps[k];
    return d < 0 ? 0.0 : static_cast<double>(counts[static_cast<size_t>(d)]);
  });
}

template <typename Value>
double MetaExpression::run(const Value& value) const {
  // Reused per thread: hundreds of metas are evaluated per message, and the callback only
  // reads values (it never evaluates another expression on this thread).
  thread_local std::vector<double> stack;
  stack.clear();
  size_t pc = 0;
  while (pc < code_.size()) {
    const Instr& in = code_[pc];
    switch (in.op) {
      case Op::Push:
        stack.push_back(in.number);
        break;
      case Op::Name:
        stack.push_back(value(in.name));
        break;
      case Op::Not:
        stack.back() = stack.back() == 0 ? 1 : 0;
        break;
      case Op::Neg:
        stack.back() = -stack.back();
        break;
      // Perl's && and || yield the deciding operand, not a boolean, so `(A || B) + C` counts.
      case Op::And:
        if (stack.back() == 0) {
          pc = in.jump;
          continue;
        }
        stack.pop_back();
        break;
      case Op::Or:
        if (stack.back() != 0) {
          pc = in.jump;
          continue;
        }
        stack.pop_back();
        break;
      default: {
        double b = stack.back();
        stack.pop_back();
        double& a = stack.back();
        switch (in.op) {
          case Op::Mul:
            a = a * b;
            break;
          case Op::Div:
            a = b == 0 ? 0 : a / b;
            break;  // SpamAssassin traps division by zero
          case Op::Add:
            a = a + b;
            break;
          case Op::Sub:
            a = a - b;
            break;
          case Op::Lt:
            a = a < b;
            break;
          case Op::Gt:
            a = a > b;
            break;
          case Op::Le:
            a = a <= b;
            break;
          case Op::Ge:
            a = a >= b;
            break;
          case Op::Eq:
            a = a == b;
            break;
          case Op::Ne:
            a = a != b;
            break;
          default:
            break;
        }
      }
    }
    ++pc;
  }
  return stack.empty() ? 0 : stack.back();
}

}  // namespace portcullis::rules
