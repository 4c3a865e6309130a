// A Perl-compatible pattern the evals build at run time (from settings or message text) and
// must scan with `while (/re/g)` semantics: matches found from an offset so that look-behind
// sees the text before it, which FullRegex's search over a substring cannot give. Matching is
// bounded (match and depth limits): a pathological input gives up as "no match".
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace portcullis::content::evals {

class PcrePattern {
 public:
  struct Match {
    size_t begin = 0, end = 0;  // the whole match
    std::string_view group1;    // empty when the pattern has no first group or it did not take part
  };

  // Null when the pattern does not compile.
  static std::unique_ptr<PcrePattern> compile(std::string_view pattern, bool caseless);
  // The same, for a pattern written in a rule's arguments: compiled once per process and
  // shared (rule files hold a bounded number of them; messages do not add entries).
  static std::shared_ptr<const PcrePattern> ofRuleArgument(std::string_view pattern,
                                                            bool caseless);
  ~PcrePattern();
  PcrePattern(const PcrePattern&) = delete;
  PcrePattern& operator=(const PcrePattern&) = delete;

  // The first match at or after `from`.
  std::optional<Match> find(std::string_view text, size_t from = 0) const;
  bool search(std::string_view text) const { return find(text).has_value(); }

 private:
  explicit PcrePattern(void* code) : code_(code) {}
  void* code_;
};

}  // namespace portcullis::content::evals
