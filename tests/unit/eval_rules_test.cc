// The engine's eval: path: arguments as written, the catalog deciding what runs, network evals
// left out without network tests, metas over evals, and the settings kept for the evals.
#include <catch2/catch.hpp>

#include <map>

#include "rules/engine/compiled_rules.h"
#include "rules/engine/rule_file_parser.h"

using namespace portcullis::rules;

namespace {

struct FakeCatalog final : EvalCatalog {
  std::map<std::string, EvalKind> kinds;
  EvalKind kind(const EvalCall& call) const override {
    auto it = kinds.find(call.function);
    return it == kinds.end() ? EvalKind::Missing : it->second;
  }
};

// Hits a rule whose first argument is "yes"; records every call.
struct FakeScope final : EvalScope {
  mutable std::vector<std::string> called;
  int run(const Rule& rule) const override {
    called.push_back(rule.name);
    return !rule.eval.args.empty() && rule.eval.args[0] == "yes" ? 1 : 0;
  }
};

const char* kRules = R"(
header  LOCAL_YES  eval:local_fn('yes', 3)
header  LOCAL_NO   eval:local_fn("no")
body    NET_YES    eval:net_fn('yes')
rawbody MISSING    eval:not_there('yes')
meta    META_LOCAL LOCAL_YES && !LOCAL_NO
meta    META_NET   NET_YES || LOCAL_NO
meta    META_MISS  MISSING || LOCAL_YES
body    NET_REGEX  /body/
tflags  NET_REGEX  net
meta    NET_META   LOCAL_YES
tflags  NET_META   net
freemail_domains gmail.com  *.example
)";

std::set<std::string> hits(const CompiledRules& c, const EvalScope* scope) {
  SimpleMessageText text;
  text.bodyLines = {"Subject\n", "body\n"};
  std::set<std::string> out;
  for (const auto& h : c.scan(text, false, {}, scope).hits) out.insert(c.rules()[h.rule].name);
  return out;
}

std::shared_ptr<const CompiledRules> compile(const FakeCatalog* catalog, bool network,
                                             ParsedRules* keep = nullptr) {
  RuleFileParser p;
  p.addText(kRules, "evals.cf");
  ParsedRules parsed = p.finish();
  if (keep) *keep = parsed;
  CompileOptions o;
  o.evals = catalog;
  o.networkTests = network;
  std::string err;
  auto c = CompiledRules::compile(std::move(parsed), o, &err);
  REQUIRE(c);
  return c;
}

}  // namespace

TEST_CASE("eval: calls keep their arguments as written, quotes removed", "[rules][evals]") {
  ParsedRules parsed;
  compile(nullptr, false, &parsed);
  const Rule* r = nullptr;
  for (const auto& x : parsed.rules)
    if (x.name == "LOCAL_YES") r = &x;
  REQUIRE(r);
  CHECK(r->eval.function == "local_fn");
  CHECK(r->eval.args == std::vector<std::string>{"yes", "3"});
  REQUIRE(parsed.settings.size() == 1);
  CHECK(parsed.settings[0].key == "freemail_domains");
  CHECK(parsed.settings[0].value == "gmail.com  *.example");
  CHECK(parsed.settings[0].line == 13);
}

TEST_CASE("eval: a malformed call is an error with file and line", "[rules][evals]") {
  RuleFileParser p;
  p.addText("header BAD eval:check_x('unclosed)\n", "bad.cf");
  ParsedRules parsed = p.finish();
  REQUIRE(parsed.errors.size() == 1);
  CHECK(parsed.errors[0].line == 1);
}

TEST_CASE("eval rules run through the catalog and the message's scope", "[rules][evals]") {
  FakeCatalog catalog;
  catalog.kinds = {{"local_fn", EvalKind::Local}, {"net_fn", EvalKind::Network}};
  FakeScope scope;

  SECTION("without network tests, network evals do not run and metas read them as not hit") {
    auto c = compile(&catalog, false);
    auto h = hits(*c, &scope);
    // A meta flagged net still runs, over what its parts found (SpamAssassin does the same).
    CHECK(h == std::set<std::string>{"LOCAL_YES", "META_LOCAL", "NET_META"});
    CHECK(std::find(scope.called.begin(), scope.called.end(), "NET_YES") == scope.called.end());
    const auto& header = c->report().byTarget[static_cast<int>(Target::Header)];
    CHECK(header.evalRun == 2);
    CHECK(c->report().byTarget[static_cast<int>(Target::Body)].networkOff == 2);
  }
  SECTION("with network tests they run") {
    auto c = compile(&catalog, true);
    CHECK(hits(*c, &scope) == std::set<std::string>{"LOCAL_YES", "META_LOCAL", "NET_YES",
                                                    "META_NET", "NET_REGEX", "NET_META"});
  }
  SECTION("a missing function is skipped with its name, and so is a meta over it") {
    auto c = compile(&catalog, true);
    bool missingListed = false, metaListed = false;
    for (const auto& s : c->report().skipped) {
      if (s.name == "MISSING") missingListed = s.reason.find("not_there") != std::string::npos;
      if (s.name == "META_MISS") metaListed = true;
    }
    CHECK(missingListed);
    CHECK(metaListed);
    hits(*c, &scope);
    CHECK(std::find(scope.called.begin(), scope.called.end(), "MISSING") == scope.called.end());
  }
  SECTION("without a scope no eval hits") {
    auto c = compile(&catalog, true);
    CHECK(hits(*c, nullptr) == std::set<std::string>{"NET_REGEX"});
  }
}
