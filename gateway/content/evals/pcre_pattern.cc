#include "gateway/content/evals/pcre_pattern.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <map>
#include <mutex>

namespace portcullis::content::evals {
namespace {

pcre2_code* code(void* p) {
  return static_cast<pcre2_code*>(p);
}

// Per-thread scratch: PCRE2 needs match data for every call.
struct Scratch {
  pcre2_match_data* data = pcre2_match_data_create(4, nullptr);
  pcre2_match_context* context = [] {
    pcre2_match_context* c = pcre2_match_context_create(nullptr);
    pcre2_set_match_limit(c, 1'000'000);
    pcre2_set_depth_limit(c, 10'000);
    return c;
  }();
  ~Scratch() {
    pcre2_match_data_free(data);
    pcre2_match_context_free(context);
  }
};

}  // namespace

std::unique_ptr<PcrePattern> PcrePattern::compile(std::string_view pattern, bool caseless) {
  int error = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* c = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                caseless ? PCRE2_CASELESS : 0, &error, &offset, nullptr);
  if (!c) return nullptr;
  pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);  // the interpreter runs it if JIT is unavailable
  return std::unique_ptr<PcrePattern>(new PcrePattern(c));
}

std::shared_ptr<const PcrePattern> PcrePattern::ofRuleArgument(std::string_view pattern,
                                                               bool caseless) {
  // Rule arguments only, so the cache stays as small as the rule files; past the cap (a rule
  // set churned by many reloads) a pattern is compiled for the call instead of kept.
  constexpr size_t kCap = 4096;
  static std::mutex lock;
  static std::map<std::pair<std::string, bool>, std::shared_ptr<const PcrePattern>, std::less<>>
      cache;
  std::pair<std::string, bool> key{std::string(pattern), caseless};
  {
    std::lock_guard guard(lock);
    if (auto it = cache.find(key); it != cache.end()) return it->second;
  }
  std::shared_ptr<const PcrePattern> compiled = compile(pattern, caseless);
  std::lock_guard guard(lock);
  if (cache.size() < kCap) cache.emplace(std::move(key), compiled);
  return compiled;
}

PcrePattern::~PcrePattern() {
  pcre2_code_free(code(code_));
}

std::optional<PcrePattern::Match> PcrePattern::find(std::string_view text, size_t from) const {
  if (from > text.size()) return std::nullopt;
  thread_local Scratch scratch;
  int rc = pcre2_match(code(code_), reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), from, 0,
                       scratch.data, scratch.context);
  if (rc <= 0) return std::nullopt;
  PCRE2_SIZE* ov = pcre2_get_ovector_pointer(scratch.data);
  Match m;
  m.begin = ov[0];
  m.end = ov[1];
  if (rc > 1 && ov[2] != PCRE2_UNSET) m.group1 = text.substr(ov[2], ov[3] - ov[2]);
  return m;
}

}  // namespace portcullis::content::evals
