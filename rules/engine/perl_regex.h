// Perl regex literals as SpamAssassin rule files write them, and the rewrites each match
// engine needs to give Perl's answers.
#pragma once
#include <string>
#include <string_view>

#include "rules/engine/rule.h"

namespace portcullis::rules {

struct RegexParse {
  PerlRegex regex;
  std::string_view rest;  // text after the flags
  std::string error;      // non-empty on failure
};

// Parses `/re/flags`, `m/re/flags`, `m{re}flags` (any delimiter Perl accepts) at the start of
// `text` (leading blanks skipped). Flags i, m, s, x are applied (x: blanks and comments are
// removed by applyExtended(), so no engine needs to support it); g and o are ignored.
RegexParse parsePerlRegex(std::string_view text);

// Perl's /x: removes unescaped blanks and #-comments outside character classes.
void applyExtended(PerlRegex& re);

// Constructs only a backtracking engine can run: back-references, look-around, atomic groups,
// possessive quantifiers, \G, \K, recursion, conditionals, embedded code.
bool needsBacktracking(std::string_view pattern);

// Hyperscan compiles large bounded repeats (`[^>]{0,2048}`) into huge automata: one such
// stock rule takes 26 s to build. For the prefilter pattern, `X{m,n}` with n above `limit`
// becomes `X{min(m,limit),}`, which matches a superset, so the confirming engine still
// decides. Returns false when nothing needed relaxing.
bool relaxBoundedRepeats(const std::string& pattern, int limit, std::string* out);

// The pattern rewritten for RE2 so that it matches where Perl does (RE2's `$` is `\z`, Perl's
// is "end or before a final newline"). Returns false when RE2 syntax differs in a way this
// rewrite does not handle (\v, \h, \R, \Z in classes ...); the caller then uses PCRE2.
bool rewriteForRe2(const PerlRegex& re, std::string* out);

}  // namespace portcullis::rules
