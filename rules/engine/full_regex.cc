#include "rules/engine/full_regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <re2/re2.h>

#include "rules/engine/perl_regex.h"

namespace portcullis::rules {
namespace {

class Re2Regex final : public FullRegex {
 public:
  explicit Re2Regex(const std::string& pattern, const RE2::Options& o) : re_(pattern, o) {}
  bool ok() const { return re_.ok(); }
  std::string error() const { return re_.error(); }

  bool search(std::string_view text, std::string_view* match) const override {
    re2::StringPiece m;
    re2::StringPiece in(text.data(), text.size());
    if (!re_.Match(in, 0, in.size(), RE2::UNANCHORED, &m, 1)) return false;
    if (match) *match = std::string_view(m.data(), m.size());
    return true;
  }

  int count(std::string_view text, int limit) const override {
    re2::StringPiece in(text.data(), text.size());
    size_t pos = 0;
    int n = 0;
    re2::StringPiece m;
    while (pos <= in.size() && re_.Match(in, pos, in.size(), RE2::UNANCHORED, &m, 1)) {
      ++n;
      if (limit > 0 && n >= limit) break;
      size_t end = static_cast<size_t>(m.data() - in.data()) + m.size();
      pos = m.empty() ? end + 1 : end;
    }
    return n;
  }
  const char* engine() const override { return "re2"; }

 private:
  RE2 re_;
};

// Per-thread match data and limits: PCRE2 needs scratch for every match call.
struct PcreThreadState {
  pcre2_match_data* data = pcre2_match_data_create(1, nullptr);
  pcre2_match_context* context = [] {
    pcre2_match_context* c = pcre2_match_context_create(nullptr);
    pcre2_set_match_limit(c, 1'000'000);
    pcre2_set_depth_limit(c, 10'000);
    return c;
  }();
  ~PcreThreadState() {
    pcre2_match_data_free(data);
    pcre2_match_context_free(context);
  }
};

PcreThreadState& pcreState() {
  thread_local PcreThreadState state;
  return state;
}

class PcreRegex final : public FullRegex {
 public:
  static std::unique_ptr<PcreRegex> make(const PerlRegex& re, std::string* error) {
    uint32_t options = 0;
    if (re.caseless) options |= PCRE2_CASELESS;
    if (re.multiline) options |= PCRE2_MULTILINE;
    if (re.dotall) options |= PCRE2_DOTALL;
    int code = 0;
    PCRE2_SIZE offset = 0;
    pcre2_code* c = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(re.pattern.data()),
                                  re.pattern.size(), options, &code, &offset, nullptr);
    if (!c) {
      PCRE2_UCHAR buf[256];
      pcre2_get_error_message(code, buf, sizeof buf);
      *error = std::string(reinterpret_cast<char*>(buf)) + " at offset " + std::to_string(offset);
      return nullptr;
    }
    pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);  // falls back to the interpreter if JIT fails
    return std::unique_ptr<PcreRegex>(new PcreRegex(c));
  }
  ~PcreRegex() override { pcre2_code_free(code_); }

  bool search(std::string_view text, std::string_view* match) const override {
    size_t start, end;
    if (!matchAt(text, 0, &start, &end)) return false;
    if (match) *match = text.substr(start, end - start);
    return true;
  }

  int count(std::string_view text, int limit) const override {
    size_t pos = 0, start, end;
    int n = 0;
    while (pos <= text.size() && matchAt(text, pos, &start, &end)) {
      ++n;
      if (limit > 0 && n >= limit) break;
      pos = end == start ? end + 1 : end;
    }
    return n;
  }
  const char* engine() const override { return "pcre2"; }

 private:
  explicit PcreRegex(pcre2_code* c) : code_(c) {}

  bool matchAt(std::string_view text, size_t from, size_t* start, size_t* end) const {
    PcreThreadState& st = pcreState();
    // A null pointer with length 0 is not accepted by every PCRE2 version.
    static const char empty = 0;
    const char* data = text.empty() ? &empty : text.data();
    int rc = pcre2_match(code_, reinterpret_cast<PCRE2_SPTR>(data), text.size(), from, 0, st.data,
                         st.context);
    if (rc < 0) return false;  // no match, or the match limit hit: treated as no match
    PCRE2_SIZE* ov = pcre2_get_ovector_pointer(st.data);
    *start = ov[0];
    *end = ov[1] < ov[0] ? ov[0] : ov[1];  // \K can put the end before the start
    return true;
  }

  pcre2_code* code_;
};

}  // namespace

std::unique_ptr<FullRegex> FullRegex::compilePcre(const PerlRegex& re, std::string* error) {
  return PcreRegex::make(re, error);
}

std::unique_ptr<FullRegex> FullRegex::compile(const PerlRegex& re, std::string* error) {
  std::string rewritten;
  if (!needsBacktracking(re.pattern) && rewriteForRe2(re, &rewritten)) {
    RE2::Options o;
    o.set_encoding(RE2::Options::EncodingLatin1);  // bytes, as SpamAssassin matches them
    o.set_log_errors(false);
    o.set_max_mem(16 << 20);
    auto r = std::make_unique<Re2Regex>(rewritten, o);
    if (r->ok()) return r;
  }
  return PcreRegex::make(re, error);
}

}  // namespace portcullis::rules
