#include "rules/engine/compiled_rules.h"

#include <hs.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include <openssl/evp.h>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "rules/engine/full_regex.h"
#include "rules/engine/meta_expression.h"
#include "rules/engine/perl_regex.h"

namespace portcullis::rules {
namespace {

std::atomic<uint64_t> nextGeneration{1};

// One scratch per thread per rule set (Hyperscan scratch must never be shared between
// concurrent scans). A few rule sets may be alive at once (reload, tests); the oldest
// scratch is dropped beyond four.
struct ScratchCache {
  struct Entry {
    uint64_t generation;
    hs_scratch_t* scratch;
  };
  std::vector<Entry> entries;
  ~ScratchCache() {
    for (auto& e : entries) hs_free_scratch(e.scratch);
  }
  hs_scratch_t* get(uint64_t generation, const hs_scratch_t* prototype) {
    for (auto& e : entries)
      if (e.generation == generation) return e.scratch;
    hs_scratch_t* s = nullptr;
    if (hs_clone_scratch(prototype, &s) != HS_SUCCESS) return nullptr;
    if (entries.size() >= 4) {
      hs_free_scratch(entries.front().scratch);
      entries.erase(entries.begin());
    }
    entries.push_back({generation, s});
    return s;
  }
};

ScratchCache& scratchCache() {
  thread_local ScratchCache cache;
  return cache;
}

unsigned hsFlags(const PerlRegex& re) {
  unsigned f = HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY;
  if (re.caseless) f |= HS_FLAG_CASELESS;
  if (re.multiline) f |= HS_FLAG_MULTILINE;
  if (re.dotall) f |= HS_FLAG_DOTALL;
  return f;
}

bool hsAccepts(const std::string& pattern, unsigned flags) {
  hs_expr_info_t* info = nullptr;
  hs_compile_error_t* err = nullptr;
  hs_error_t rc = hs_expression_info(pattern.c_str(), flags, &info, &err);
  if (err) hs_free_compile_error(err);
  if (info) free(info);
  return rc == HS_SUCCESS;
}

// Bounded repeats above this many are relaxed for Hyperscan (see relaxBoundedRepeats).
constexpr int kRepeatLimit = 32;

// Hyperscan match callback: records the pattern id (SINGLEMATCH: once per scan).
int collectMatch(unsigned id, unsigned long long, unsigned long long, unsigned, void* ctx) {
  static_cast<std::vector<unsigned>*>(ctx)->push_back(id);
  return 0;
}

size_t targetSlot(Target t) {
  return static_cast<size_t>(t);
}

std::string sha256Hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

// The compiled databases of one target on disk, with the patterns the build demoted, so that
// a restart or a reload with unchanged rules skips Hyperscan's compiler (a minute for the
// stock rules). A target has one database, or one per header group.
// Format: "portcullis-hsdb 2\n" <demoted count> lines "<rule index> <path>\n", <database
// count> "\n", then per database "<length>\n" and the bytes of hs_serialize_database
// (length 0: the part has no pattern for Hyperscan).
struct CachedDbs {
  std::vector<std::pair<size_t, int>> demoted;
  std::vector<hs_database_t*> dbs;
  ~CachedDbs() {
    for (hs_database_t* db : dbs)
      if (db) hs_free_database(db);
  }
};

bool loadCachedDbs(const std::filesystem::path& file, size_t expected, CachedDbs* out) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  std::string magic;
  size_t count = 0;
  if (!std::getline(in, magic) || magic != "portcullis-hsdb 2" || !(in >> count)) return false;
  for (size_t k = 0; k < count; ++k) {
    size_t rule;
    int path;
    if (!(in >> rule >> path)) return false;
    out->demoted.emplace_back(rule, path);
  }
  size_t databases = 0;
  if (!(in >> databases) || databases != expected) return false;
  std::string bytes;
  for (size_t k = 0; k < databases; ++k) {
    size_t length = 0;
    if (!(in >> length) || in.get() != '\n') return false;
    hs_database_t* db = nullptr;
    if (length) {
      bytes.resize(length);
      if (!in.read(bytes.data(), static_cast<std::streamsize>(length))) return false;
      if (hs_deserialize_database(bytes.data(), length, &db) != HS_SUCCESS) return false;
    }
    out->dbs.push_back(db);
  }
  return true;
}

void storeCachedDbs(const std::filesystem::path& file,
                    const std::vector<std::pair<size_t, int>>& demoted,
                    const std::vector<const hs_database_t*>& dbs) {
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  auto tmp = file;
  tmp += ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << "portcullis-hsdb 2\n" << demoted.size() << "\n";
    for (const auto& [rule, path] : demoted) out << rule << " " << path << "\n";
    out << dbs.size() << "\n";
    for (const hs_database_t* db : dbs) {
      char* bytes = nullptr;
      size_t length = 0;
      if (db && hs_serialize_database(db, &bytes, &length) != HS_SUCCESS) {
        ec = std::make_error_code(std::errc::io_error);
        break;
      }
      out << length << "\n";
      if (length) out.write(bytes, static_cast<std::streamsize>(length));
      free(bytes);
    }
    if (!out) ec = std::make_error_code(std::errc::io_error);
  }
  if (!ec) std::filesystem::rename(tmp, file, ec);
  if (ec) std::filesystem::remove(tmp, ec);
}

}  // namespace

const char* matchPathName(MatchPath p) {
  switch (p) {
    case MatchPath::Direct:
      return "hyperscan";
    case MatchPath::Prefilter:
      return "hyperscan-prefilter";
    case MatchPath::FullOnly:
      return "full-engine";
    case MatchPath::Eval:
      return "eval";
    case MatchPath::NotRun:
      return "not-run";
  }
  return "?";
}

struct CompiledRules::Impl {
  struct TargetDb {
    hs_database_t* db = nullptr;
    std::vector<size_t> ruleOfId;
    std::vector<size_t> fullOnly;
  };
  struct HeaderGroup {
    HeaderQuery query;
    std::optional<std::string> unset;
    std::vector<size_t> rules;
  };
  // Hits per rule on a header value: scratch the caller owns, one slot per rule.
  using ValueHits = std::vector<int>;
  struct Meta {
    size_t rule;
    MetaExpression expr;
    std::vector<std::ptrdiff_t> deps;  // rule index per expression name, -1 undefined
  };

  std::vector<Rule> rules;
  std::unordered_map<std::string, size_t> byName;
  std::vector<MatchPath> paths;
  std::vector<std::string> hsPattern;  // what Hyperscan compiles (relaxed for prefiltering)
  std::vector<std::unique_ptr<FullRegex>> full;
  std::unique_ptr<std::once_flag[]> lazyOnce;
  mutable std::vector<std::unique_ptr<FullRegex>> lazy;  // for explain only
  // One database per target, except headers: one per header group, so that a header's value
  // is scanned against its own rules only (a message has dozens of header values, and the
  // header rules number hundreds).
  std::array<std::vector<TargetDb>, 5> dbs;
  std::vector<HeaderGroup> groups;
  std::vector<int> groupOf;
  // What each header rule scores on the empty value, which is what most queries get (the
  // header is absent): computed once here instead of scanned for every message.
  std::vector<int> emptyValueHits;
  std::vector<Meta> metas;        // in evaluation order
  std::vector<size_t> evalRules;  // path Eval, in definition order
  std::vector<char> networkOff;   // network evals left out (network tests off)
  hs_scratch_t* prototype = nullptr;
  uint64_t generation = nextGeneration++;
  CompileReport report;
  int scoreSet = 0;

  ~Impl() {
    for (auto& target : dbs)
      for (auto& d : target)
        if (d.db) hs_free_database(d.db);
    if (prototype) hs_free_scratch(prototype);
  }

  const FullRegex* regexFor(size_t rule) const {
    if (full[rule]) return full[rule].get();
    std::call_once(lazyOnce[rule], [&] {
      std::string err;
      lazy[rule] = FullRegex::compile(rules[rule].regex, &err);
    });
    return lazy[rule].get();
  }

  bool buildTarget(Target t, const std::string& cacheDir, std::string* error);
  // Builds one database over `members` into `tdb`, demoting a pattern Hyperscan refuses at
  // build time (recorded in `demoted`).
  bool compileDb(Target t, const std::vector<size_t>& members, TargetDb& tdb,
                 std::vector<std::pair<size_t, int>>& demoted, std::string* error);
  void buildHeaderGroups();
  // Runs the rules of header group `g` over one value, adding their hits to `hits` (rules
  // already hit once and not counting `multiple` are skipped).
  template <typename Confirm>
  void matchHeaderValue(size_t g, std::string_view value, ValueHits& hits, Confirm& confirm) const {
    const TargetDb& hdb = dbs[targetSlot(Target::Header)][g];
    auto consider = [&](size_t i) {
      if (!hits[i] || rules[i].multiple) confirm(i, value, hits[i]);
    };
    hs_scratch_t* scratch = hdb.db ? scratchCache().get(generation, prototype) : nullptr;
    if (scratch) {
      thread_local std::vector<unsigned> candidates;  // reused: hundreds of values per message
      candidates.clear();
      hs_scan(hdb.db, value.empty() ? "" : value.data(), static_cast<unsigned>(value.size()), 0,
              scratch, collectMatch, &candidates);
      for (unsigned id : candidates) consider(hdb.ruleOfId[id]);
    }
    for (size_t i : hdb.fullOnly) consider(i);
  }
  void parseMetas();
  void orderMetas();
  ScanResult scan(const MessageText& text, bool explain, const ScanStop& stop,
                  const EvalScope* evals) const;
};

bool CompiledRules::Impl::buildTarget(Target t, const std::string& cacheDir, std::string* error) {
  std::vector<size_t> members;
  for (size_t i = 0; i < rules.size(); ++i) {
    const Rule& r = rules[i];
    if (r.target != t || paths[i] == MatchPath::NotRun || paths[i] == MatchPath::Eval ||
        r.existsTest)
      continue;
    if (r.regex.pattern.find('\0') != std::string::npos) {
      paths[i] = MatchPath::NotRun;
      rules[i].support = Support::InvalidRegex;
      rules[i].reason = "NUL byte in the pattern";
      continue;
    }
    unsigned flags = hsFlags(r.regex);
    std::string relaxed;
    hsPattern[i] = r.regex.pattern;
    if (relaxBoundedRepeats(r.regex.pattern, kRepeatLimit, &relaxed)) {
      hsPattern[i] = relaxed;
      paths[i] = hsAccepts(relaxed, flags | HS_FLAG_PREFILTER) ? MatchPath::Prefilter
                                                               : MatchPath::FullOnly;
    } else if (hsAccepts(r.regex.pattern, flags)) {
      paths[i] = MatchPath::Direct;
    } else if (hsAccepts(r.regex.pattern, flags | HS_FLAG_PREFILTER)) {
      paths[i] = MatchPath::Prefilter;
    } else {
      paths[i] = MatchPath::FullOnly;
    }
    if (paths[i] != MatchPath::Direct || r.multiple) {
      std::string err;
      full[i] = FullRegex::compile(r.regex, &err);
      if (!full[i]) {
        paths[i] = MatchPath::NotRun;
        rules[i].support = Support::InvalidRegex;
        rules[i].reason = "regex: " + err;
        continue;
      }
    }
    members.push_back(i);
  }
  // The parts: one database for the target, or one per header group.
  std::vector<std::vector<size_t>> parts(t == Target::Header ? groups.size() : 1);
  for (size_t i : members) {
    if (t != Target::Header) {
      parts[0].push_back(i);
    } else if (groupOf[i] >= 0) {
      parts[static_cast<size_t>(groupOf[i])].push_back(i);
    }
  }
  std::vector<TargetDb>& tdbs = dbs[targetSlot(t)];
  tdbs.assign(parts.size(), TargetDb{});
  auto sortMembers = [&] {
    for (size_t k = 0; k < parts.size(); ++k) {
      TargetDb& tdb = tdbs[k];
      tdb.ruleOfId.clear();
      tdb.fullOnly.clear();
      for (size_t i : parts[k]) {
        if (paths[i] == MatchPath::NotRun) continue;
        (paths[i] == MatchPath::FullOnly ? tdb.fullOnly : tdb.ruleOfId).push_back(i);
      }
    }
  };
  std::filesystem::path cacheFile;
  if (!cacheDir.empty()) {
    std::string key = std::string(hs_version()) + "\n";
    for (size_t k = 0; k < parts.size(); ++k) {
      key += "part " + std::to_string(k) + "\n";
      for (size_t i : parts[k])
        key += std::to_string(i) + " " + std::to_string(static_cast<int>(paths[i])) + " " +
               std::to_string(hsFlags(rules[i].regex)) + " " + hsPattern[i] + "\n";
    }
    cacheFile = std::filesystem::path(cacheDir) /
                (std::string(targetName(t)) + "-" + sha256Hex(key) + ".hsdb");
    CachedDbs cached;
    if (loadCachedDbs(cacheFile, parts.size(), &cached)) {
      for (auto [rule, path] : cached.demoted) {
        if (rule >= rules.size()) break;
        paths[rule] = static_cast<MatchPath>(path);
        if (paths[rule] != MatchPath::NotRun && !full[rule]) {
          std::string e;
          full[rule] = FullRegex::compile(rules[rule].regex, &e);
        }
        if (!full[rule] || paths[rule] == MatchPath::NotRun) {
          paths[rule] = MatchPath::NotRun;
          rules[rule].support = Support::InvalidRegex;
          rules[rule].reason = "neither Hyperscan nor the full engine accepts the pattern";
        }
      }
      sortMembers();
      for (size_t k = 0; k < parts.size(); ++k) std::swap(tdbs[k].db, cached.dbs[k]);
      return true;
    }
  }
  std::vector<std::pair<size_t, int>> demoted;
  for (size_t k = 0; k < parts.size(); ++k)
    if (!compileDb(t, parts[k], tdbs[k], demoted, error)) return false;
  sortMembers();
  if (!cacheFile.empty()) {
    std::vector<const hs_database_t*> built;
    for (const TargetDb& tdb : tdbs) built.push_back(tdb.db);
    storeCachedDbs(cacheFile, demoted, built);
  }
  return true;
}

bool CompiledRules::Impl::compileDb(Target t, const std::vector<size_t>& members, TargetDb& tdb,
                                    std::vector<std::pair<size_t, int>>& demoted,
                                    std::string* error) {
  // Hyperscan can refuse a pattern at database build time that expression_info accepted
  // (resource limits): demote that one pattern and build again.
  for (int attempt = 0; attempt < 1000; ++attempt) {
    std::vector<const char*> patterns;
    std::vector<unsigned> flags, ids;
    tdb.ruleOfId.clear();
    for (size_t i : members) {
      if (paths[i] == MatchPath::NotRun || paths[i] == MatchPath::FullOnly) continue;
      unsigned f = hsFlags(rules[i].regex);
      if (paths[i] == MatchPath::Prefilter) f |= HS_FLAG_PREFILTER;
      ids.push_back(static_cast<unsigned>(tdb.ruleOfId.size()));
      tdb.ruleOfId.push_back(i);
      patterns.push_back(hsPattern[i].c_str());
      flags.push_back(f);
    }
    if (patterns.empty()) return true;  // every rule of the part runs on the full engine
    hs_compile_error_t* err = nullptr;
    hs_database_t* db = nullptr;
    hs_error_t rc =
        hs_compile_multi(patterns.data(), flags.data(), ids.data(),
                         static_cast<unsigned>(patterns.size()), HS_MODE_BLOCK, nullptr, &db, &err);
    if (rc == HS_SUCCESS) {
      tdb.db = db;
      return true;
    }
    int bad = err ? err->expression : -1;
    std::string message = err && err->message ? err->message : "unknown error";
    if (err) hs_free_compile_error(err);
    if (bad < 0) {
      *error = std::string("Hyperscan cannot build the ") + targetName(t) + " database: " + message;
      return false;
    }
    size_t rule = tdb.ruleOfId[static_cast<size_t>(bad)];
    std::string fullError;
    if (!full[rule]) full[rule] = FullRegex::compile(rules[rule].regex, &fullError);
    if (!full[rule]) {
      paths[rule] = MatchPath::NotRun;
      rules[rule].support = Support::InvalidRegex;
      rules[rule].reason = "Hyperscan: " + message + "; PCRE2: " + fullError;
    } else {
      paths[rule] = paths[rule] == MatchPath::Direct ? MatchPath::Prefilter : MatchPath::FullOnly;
    }
    demoted.emplace_back(rule, static_cast<int>(paths[rule]));
  }
  *error = std::string("Hyperscan cannot build the ") + targetName(t) + " database";
  return false;
}

void CompiledRules::Impl::buildHeaderGroups() {
  groupOf.assign(rules.size(), -1);
  std::unordered_map<std::string, int> byKey;
  for (size_t i = 0; i < rules.size(); ++i) {
    const Rule& r = rules[i];
    if (r.target != Target::Header || paths[i] == MatchPath::NotRun || paths[i] == MatchPath::Eval)
      continue;
    std::string key = r.query.key() + (r.ifUnset ? "\t" + *r.ifUnset : std::string("\n"));
    auto [it, added] = byKey.emplace(key, static_cast<int>(groups.size()));
    if (added) groups.push_back({r.query, r.ifUnset, {}});
    groups[static_cast<size_t>(it->second)].rules.push_back(i);
    groupOf[i] = it->second;
  }
}

void CompiledRules::Impl::parseMetas() {
  // Parsed once; the parser already refused metas that do not parse or form cycles.
  for (size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].target != Target::Meta || rules[i].support != Support::Ok) continue;
    Meta m{i, {}, {}};
    std::string err;
    m.expr.parse(rules[i].metaExpr, &err);
    for (const auto& n : m.expr.names()) {
      auto it = byName.find(n);
      m.deps.push_back(it == byName.end() ? -1 : static_cast<std::ptrdiff_t>(it->second));
    }
    metas.push_back(std::move(m));
  }
  // A meta over a rule that does not run (eval, unsupported, a regex no engine takes, or
  // another such meta) cannot be trusted: it does not run either.
  for (bool changed = true; changed;) {
    changed = false;
    for (const Meta& m : metas) {
      Rule& r = rules[m.rule];
      if (r.support != Support::Ok) continue;
      for (std::ptrdiff_t d : m.deps) {
        if (d < 0 || rules[static_cast<size_t>(d)].support == Support::Ok) continue;
        const Rule& dep = rules[static_cast<size_t>(d)];
        r.support = Support::DependsOnUnsupported;
        r.reason = "depends on " + dep.name + " (" + dep.reason + ")";
        paths[m.rule] = MatchPath::NotRun;
        changed = true;
        break;
      }
    }
  }
}

void CompiledRules::Impl::orderMetas() {
  // Depth-first, so that every meta is evaluated after the metas it reads.
  std::vector<size_t> slot(rules.size(), SIZE_MAX);
  for (size_t k = 0; k < metas.size(); ++k) slot[metas[k].rule] = k;
  std::vector<char> visited(metas.size(), 0);
  std::vector<Meta> ordered;
  std::function<void(size_t)> visit = [&](size_t k) {
    if (visited[k]) return;
    visited[k] = 1;
    for (std::ptrdiff_t d : metas[k].deps)
      if (d >= 0 && slot[static_cast<size_t>(d)] != SIZE_MAX) visit(slot[static_cast<size_t>(d)]);
    if (paths[metas[k].rule] != MatchPath::NotRun) ordered.push_back(std::move(metas[k]));
  };
  for (size_t k = 0; k < metas.size(); ++k) visit(k);
  metas = std::move(ordered);
}

ScanResult CompiledRules::Impl::scan(const MessageText& text, bool explain, const ScanStop& stop,
                                     const EvalScope* evals) const {
  bool stopped = false;
  unsigned asked = 0;
  auto shouldStop = [&] {
    // Every 16th time: the caller's condition may read a clock, a system call.
    if (!stopped && stop && (asked++ & 15) == 0 && stop()) stopped = true;
    return stopped;
  };
  std::vector<int> counts(rules.size(), 0);
  std::vector<char> done(rules.size(), 0);
  std::vector<std::string> excerpts(explain ? rules.size() : 0);
  hs_scratch_t* scratch = prototype ? scratchCache().get(generation, prototype) : nullptr;
  std::vector<unsigned> candidates;

  // One rule against one text it is a candidate in; `counter` receives the hits.
  auto confirm = [&](size_t i, std::string_view buf, int& counter) {
    const Rule& r = rules[i];
    if (!r.multiple) {
      if (paths[i] == MatchPath::Direct || full[i]->search(buf)) counter = 1;
    } else {
      int remaining = r.maxHits > 0 ? r.maxHits - counter : 0;
      counter += full[i]->count(buf, remaining);
    }
    if (explain && counter > 0 && excerpts[i].empty()) {
      std::string_view m;
      if (const FullRegex* re = regexFor(i); re && re->search(buf, &m))
        excerpts[i] = std::string(m.substr(0, 80));
    }
  };

  auto scanBuffers = [&](Target t, const auto& buffers, size_t subjectLines) {
    const TargetDb& tdb = dbs[targetSlot(t)].front();
    for (size_t b = 0; b < buffers.size() && !shouldStop(); ++b) {
      std::string_view buf = buffers[b];
      auto consider = [&](size_t i) {
        if (done[i] || stopped) return;
        if (rules[i].noSubject && b < subjectLines) return;
        confirm(i, buf, counts[i]);
        const Rule& r = rules[i];
        if (counts[i] > 0 && (!r.multiple || (r.maxHits > 0 && counts[i] >= r.maxHits)))
          done[i] = 1;
      };
      if (tdb.db && scratch) {
        candidates.clear();
        hs_scan(tdb.db, buf.empty() ? "" : buf.data(), static_cast<unsigned>(buf.size()), 0,
                scratch, collectMatch, &candidates);
        for (unsigned id : candidates) {
          if (shouldStop()) break;
          consider(tdb.ruleOfId[id]);
        }
      }
      // Rules Hyperscan cannot run go through the full engine one by one: the costly part.
      for (size_t i : tdb.fullOnly) {
        if (shouldStop()) break;
        consider(i);
      }
    }
  };

  scanBuffers(Target::Body, text.body(), text.bodySubjectLines());
  scanBuffers(Target::RawBody, text.rawBody(), 0);
  scanBuffers(Target::Uri, text.uris(), 0);
  scanBuffers(Target::Full, std::array<std::string_view, 1>{text.full()}, 0);

  // Headers: each distinct query once. An absent header reads as "" (SpamAssassin matches
  // undef that way) unless the rule gives [if-unset: text].
  std::vector<int> local(rules.size(), 0);
  for (size_t g = 0; g < groups.size() && !shouldStop(); ++g) {
    const HeaderGroup& group = groups[g];
    if (group.rules.empty()) continue;
    for (size_t i : group.rules) local[i] = 0;
    bool present;
    if (group.query.anyPart) {
      // mimeheader: each part's value on its own; a match in any part counts.
      auto values = text.mimeHeader(group.query);
      present = !values.empty();
      for (const auto& v : values)
        matchHeaderValue(g, v ? *v : group.unset.value_or(""), local, confirm);
    } else {
      std::vector<std::string> values = text.header(group.query);
      present = !values.empty();
      if (present) {
        // SpamAssassin joins instances with "" when they end in "\n", else with "\n".
        const char* sep = values.front().ends_with('\n') ? "" : "\n";
        std::string value;
        for (size_t k = 0; k < values.size(); ++k) value += (k ? sep : "") + values[k];
        matchHeaderValue(g, value, local, confirm);
      } else if (group.unset) {
        matchHeaderValue(g, *group.unset, local, confirm);
      } else {
        for (size_t i : group.rules) local[i] = emptyValueHits[i];
      }
    }
    for (size_t i : group.rules) {
      const Rule& r = rules[i];
      if (r.existsTest)
        counts[i] = present != r.negate ? 1 : 0;
      else
        counts[i] = r.negate ? (local[i] == 0 ? 1 : 0) : local[i];
      if (r.negate && explain && counts[i]) excerpts[i].clear();
    }
  }

  // Eval rules after the regex rules: some evals are costly, and a stopped scan skips them.
  if (evals)
    for (size_t i : evalRules) {
      if (shouldStop()) break;
      counts[i] = std::max(0, evals->run(rules[i]));
    }

  ScanResult result;
  // Cut short, what was found is real (a negated header test is only set once its header was
  // read), but a meta over tests never run would decide on missing facts: none is evaluated.
  result.stopped = stopped;
  for (const Meta& m : metas) {
    if (stopped) break;
    double v = m.expr.evaluateCounts(m.deps, counts);
    counts[m.rule] = v != 0 ? 1 : 0;
  }

  for (size_t i = 0; i < rules.size(); ++i) {
    if (counts[i] <= 0) continue;
    Hit h{i, counts[i], explain ? std::move(excerpts[i]) : std::string()};
    result.hits.push_back(std::move(h));
    if (!rules[i].isSubRule()) result.score += rules[i].score(scoreSet);
  }
  return result;
}

CompiledRules::CompiledRules() : impl_(std::make_unique<Impl>()) {}
CompiledRules::~CompiledRules() = default;

std::shared_ptr<const CompiledRules> CompiledRules::compile(ParsedRules parsed,
                                                            const CompileOptions& options,
                                                            std::string* error) {
  auto started = std::chrono::steady_clock::now();
  std::shared_ptr<CompiledRules> cr(new CompiledRules());
  Impl& im = *cr->impl_;
  im.scoreSet = options.scoreSet & 3;
  im.rules = std::move(parsed.rules);
  const size_t n = im.rules.size();
  im.paths.assign(n, MatchPath::NotRun);
  im.hsPattern.resize(n);
  im.full.resize(n);
  im.lazy.resize(n);
  im.lazyOnce = std::make_unique<std::once_flag[]>(n);
  im.networkOff.assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    im.byName.emplace(im.rules[i].name, i);
    Rule& r = im.rules[i];
    bool eval = false;
    if (r.support == Support::Eval && options.evals) {
      EvalKind kind = options.evals->kind(r.eval);
      if (kind != EvalKind::Missing) {
        r.support = Support::Ok;
        r.reason.clear();
        eval = true;
        // SpamAssassin's -L: a network test is not run; metas over it read "not hit".
        if (kind == EvalKind::Network && !options.networkTests) {
          im.networkOff[i] = 1;
          continue;
        }
      }
    }
    // `tflags net` marks a network test whatever its type: -L does not run it either. A meta
    // with the flag still runs in SpamAssassin (over whatever its parts found).
    if (r.support == Support::Ok && !options.networkTests && r.hasFlag("net") &&
        r.target != Target::Meta) {
      im.networkOff[i] = 1;
      continue;
    }
    // SpamAssassin does not run a rule whose score is 0 in the active set.
    if (r.support == Support::Ok && r.score(im.scoreSet) != 0) {
      im.paths[i] = eval ? MatchPath::Eval : MatchPath::Direct;  // regexes: see buildTarget
      if (eval) im.evalRules.push_back(i);
    }
  }
  // Header groups first: the header target builds one database per group.
  im.buildHeaderGroups();
  // The targets build in parallel (each touches only its own rules); Hyperscan's compiler is
  // the slow part of loading a large rule set.
  std::vector<std::future<std::pair<bool, std::string>>> builds;
  for (Target t : {Target::Body, Target::Header, Target::RawBody, Target::Uri, Target::Full})
    builds.push_back(std::async(std::launch::async, [&im, t, &options] {
      std::string e;
      bool ok = im.buildTarget(t, options.cacheDir, &e);
      return std::make_pair(ok, e);
    }));
  bool built = true;
  for (auto& b : builds) {
    auto [ok, e] = b.get();
    if (!ok && built) {
      built = false;
      *error = e;
    }
  }
  if (!built) return nullptr;
  for (const auto& target : im.dbs)
    for (const auto& tdb : target)
      if (tdb.db && hs_alloc_scratch(tdb.db, &im.prototype) != HS_SUCCESS) {
        *error = "cannot allocate Hyperscan scratch";
        return nullptr;
      }
  // A header rule the build found no engine for leaves its group (a negated one would
  // otherwise read as hit).
  for (auto& group : im.groups)
    std::erase_if(group.rules, [&im](size_t i) {
      if (im.paths[i] != MatchPath::NotRun) return false;
      im.groupOf[i] = -1;
      return true;
    });
  im.parseMetas();
  im.orderMetas();
  // The empty value, scanned once for every header rule (the group does not matter: each
  // rule is confirmed against its own group's value).
  im.emptyValueHits.assign(n, 0);
  auto confirmEmpty = [&im](size_t i, std::string_view value, int& counter) {
    const Rule& r = im.rules[i];
    if (!r.multiple)
      counter = im.paths[i] == MatchPath::Direct || im.full[i]->search(value) ? 1 : 0;
    else
      counter += im.full[i]->count(value, r.maxHits);
  };
  for (size_t g = 0; g < im.groups.size(); ++g)
    im.matchHeaderValue(g, "", im.emptyValueHits, confirmEmpty);

  CompileReport& rep = im.report;
  for (size_t i = 0; i < n; ++i) {
    const Rule& r = im.rules[i];
    TargetCounts& c = rep.byTarget[targetSlot(r.target)];
    ++c.defined;
    switch (r.support) {
      case Support::Ok:
        if (im.networkOff[i]) {
          ++c.networkOff;
          continue;
        }
        if (im.paths[i] == MatchPath::NotRun) {
          ++c.disabled;
          continue;
        }
        if (im.paths[i] == MatchPath::Eval) {
          ++c.evalRun;
          continue;
        }
        if (r.target == Target::Meta || r.existsTest) {
          ++(r.target == Target::Meta ? c.meta : c.exists);
          continue;
        }
        if (im.paths[i] == MatchPath::Direct) ++c.direct;
        if (im.paths[i] == MatchPath::Prefilter) ++c.prefilter;
        if (im.paths[i] == MatchPath::FullOnly) ++c.fullOnly;
        continue;
      case Support::Eval:
        ++c.eval;
        break;
      case Support::UnsupportedType:
        ++c.unsupported;
        break;
      case Support::InvalidRegex:
      case Support::BadMeta:
        ++c.invalid;
        break;
      case Support::DependsOnUnsupported:
        ++c.dependsOnUnsupported;
        break;
    }
    rep.skipped.push_back({r.name, r.kind, r.file, r.line, r.reason});
  }
  rep.compileSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return cr;
}

const std::vector<Rule>& CompiledRules::rules() const {
  return impl_->rules;
}
const CompileReport& CompiledRules::report() const {
  return impl_->report;
}
MatchPath CompiledRules::path(size_t rule) const {
  return impl_->paths[rule];
}
int CompiledRules::scoreSet() const {
  return impl_->scoreSet;
}
const Rule* CompiledRules::find(std::string_view name) const {
  auto it = impl_->byName.find(std::string(name));
  return it == impl_->byName.end() ? nullptr : &impl_->rules[it->second];
}
ScanResult CompiledRules::scan(const MessageText& text, bool explain, const ScanStop& stop,
                               const EvalScope* evals) const {
  return impl_->scan(text, explain, stop, evals);
}

}  // namespace portcullis::rules
