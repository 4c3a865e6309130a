// One rule as a SpamAssassin-syntax rule file defines it, before compilation.
#pragma once
#include <array>
#include <optional>
#include <string>
#include <vector>

namespace portcullis::rules {

// The text a rule looks at. The content check renders each of these from a message.
enum class Target { Header, Body, RawBody, Uri, Full, Meta };
inline constexpr int kTargetCount = 6;
const char* targetName(Target t);

// A Perl regex as written in a rule file (`/re/flags`, `m{re}flags`), already split.
struct PerlRegex {
  std::string pattern;    // between the delimiters
  bool extended = false;  // /x: stripped by applyExtended() once tags are replaced
  bool caseless = false;
  bool multiline = false;
  bool dotall = false;
};

// What a `header` rule reads: SpamAssassin's `get()` request, e.g. `From:addr`, `ALL:raw`.
struct HeaderQuery {
  std::string name;          // header name as written, or ALL, ToCc, MESSAGEID, EnvelopeFrom
  bool raw = false;          // :raw, undecoded value
  bool addr = false;         // :addr, the addresses in the field
  bool displayName = false;  // :name, the display names
  bool first = false;        // :first, the topmost instance only
  bool last = false;         // :last, the bottom instance only
  bool anyPart = false;  // `mimeheader`: the header of every MIME part, each tested alone
  std::string key() const;   // canonical text, identical for identical queries
};

// Why a rule is not run (the rule stays in the set so that reports and metas can name it).
enum class Support { Ok, Eval, UnsupportedType, InvalidRegex, BadMeta, DependsOnUnsupported };

// `eval:function(args)`: a test SpamAssassin implements in code. The arguments are the Perl
// literals as written, quotes removed.
struct EvalCall {
  std::string function;
  std::vector<std::string> args;
};

struct InlineTest {
  bool mustHit = true;
  std::string text;
  std::string file;
  int line = 0;
};

struct Rule {
  std::string name;
  Target target = Target::Body;
  std::string kind;  // the directive as written: header, body, mimeheader, uri_detail, ...
  PerlRegex regex;
  bool negate = false;      // `!~`, or `!exists:`
  bool existsTest = false;  // `exists:Name`
  HeaderQuery query;
  std::optional<std::string> ifUnset;  // `[if-unset: text]`
  std::string metaExpr;
  EvalCall eval;  // support == Eval, or an eval rule the caller implements
  std::optional<std::array<double, 4>> scores;  // score sets 0-3, as configured
  std::string description;
  std::vector<std::string> tflags;
  int maxHits = 0;         // tflags maxhits=N (0: none)
  bool multiple = false;   // tflags multiple
  bool noSubject = false;  // tflags nosubject: body rules skip the Subject line
  Support support = Support::Ok;
  std::string reason;  // for support != Ok
  std::string file;
  int line = 0;
  std::vector<InlineTest> tests;

  bool hasFlag(std::string_view f) const;
  bool isSubRule() const { return name.rfind("__", 0) == 0; }  // never scored or reported
  // The score in a score set: configured, or SpamAssassin's default (1, T_ rules 0.01,
  // negated for tflags nice).
  double score(int scoreSet) const;
};

}  // namespace portcullis::rules
