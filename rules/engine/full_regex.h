// The full regex engine that confirms what Hyperscan's prefilter mode only approximates,
// counts `tflags multiple` hits, and runs what Hyperscan cannot compile at all.
//
// Why two engines: RE2 runs in time linear in the input whatever the pattern, so hostile
// mail cannot make a rule backtrack for seconds; it is used for every pattern it can express
// with Perl's meaning. Look-around, back-references, atomic groups and possessive quantifiers
// (175 of the 1,358 stock SpamAssassin regexes that run) need a backtracking engine: PCRE2 is the
// one closest to Perl's syntax and semantics, and runs them with a match limit so a pathological
// pattern gives up (as no match) instead of stalling the worker.
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "rules/engine/rule.h"

namespace portcullis::rules {

class FullRegex {
 public:
  virtual ~FullRegex() = default;
  // Null with `error` set when neither engine accepts the pattern.
  static std::unique_ptr<FullRegex> compile(const PerlRegex& re, std::string* error);
  // PCRE2 only (used to tell whether a pattern is valid Perl-style syntax at all).
  static std::unique_ptr<FullRegex> compilePcre(const PerlRegex& re, std::string* error);

  // The first match, if any; `match` gets the matched text.
  virtual bool search(std::string_view text, std::string_view* match = nullptr) const = 0;
  // Non-overlapping matches left to right as Perl's `while (/re/g)` finds them, at most
  // `limit` (0: no limit).
  virtual int count(std::string_view text, int limit) const = 0;
  virtual const char* engine() const = 0;
};

}  // namespace portcullis::rules
