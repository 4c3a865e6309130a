// The rule engine (rules/): SpamAssassin rule syntax, Perl regex semantics on each match path,
// metas, and the SpamAssassin-style rendering the content check feeds it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "gateway/content/content_rules_check.h"
#include "gateway/content/sa_text.h"
#include "gateway/core/pipeline.h"
#include "rules/engine/compiled_rules.h"
#include "rules/engine/inline_tests.h"
#include "rules/engine/meta_expression.h"
#include "rules/engine/perl_regex.h"

using namespace portcullis;
using namespace portcullis::rules;

namespace {

std::shared_ptr<const CompiledRules> compileText(const std::string& text,
                                                 ParsedRules* keep = nullptr, int scoreSet = 0) {
  RuleFileParser p;
  p.addText(text, "test.cf");
  ParsedRules parsed = p.finish();
  if (keep) *keep = parsed;
  std::string err;
  CompileOptions o;
  o.scoreSet = scoreSet;
  auto c = CompiledRules::compile(std::move(parsed), o, &err);
  INFO(err);
  REQUIRE(c);
  return c;
}

std::set<std::string> hitNames(const CompiledRules& c, const MessageText& t) {
  std::set<std::string> out;
  for (const auto& h : c.scan(t).hits) out.insert(c.rules()[h.rule].name);
  return out;
}

int hitCount(const CompiledRules& c, const MessageText& t, const std::string& name) {
  for (const auto& h : c.scan(t).hits)
    if (c.rules()[h.rule].name == name) return h.count;
  return 0;
}

}  // namespace

TEST_CASE("Perl regex literals: delimiters, flags, escapes, /x", "[rules]") {
  auto r = parsePerlRegex("  /a\\/b/i rest");
  REQUIRE(r.error.empty());
  CHECK(r.regex.pattern == "a\\/b");
  CHECK(r.regex.caseless);
  CHECK(std::string(r.rest) == " rest");
  r = parsePerlRegex("m{^https?://\\d{1,3}}ms");
  REQUIRE(r.error.empty());
  CHECK(r.regex.pattern == "^https?://\\d{1,3}");
  CHECK(r.regex.multiline);
  CHECK(r.regex.dotall);
  r = parsePerlRegex("m!a b # comment\n c!x");
  REQUIRE(r.error.empty());
  applyExtended(r.regex);
  CHECK(r.regex.pattern == "abc");
  r = parsePerlRegex("/[ #]x/x");
  applyExtended(r.regex);
  CHECK(r.regex.pattern == "[ #]x");        // blanks inside a class stay
  r = parsePerlRegex("/[[:space:]#] x/x");  // a POSIX class does not end the class
  applyExtended(r.regex);
  CHECK(r.regex.pattern == "[[:space:]#]x");
  CHECK(parsePerlRegex("/unclosed").error.find("not closed") != std::string::npos);
  CHECK(parsePerlRegex("/a/q").error.find("unknown regex flag") != std::string::npos);
  CHECK(parsePerlRegex("foo").error.find("expected a regex") != std::string::npos);
}

TEST_CASE("Constructs that need a backtracking engine are recognised", "[rules]") {
  CHECK(needsBacktracking("(?!foo)bar"));
  CHECK(needsBacktracking("(?<=a)b"));
  CHECK(needsBacktracking("(a)\\1"));
  CHECK(needsBacktracking("a++"));
  CHECK(needsBacktracking("(?>a+)b"));
  CHECK_FALSE(needsBacktracking("a+b*c?(?:d|e){2,3}"));
  CHECK_FALSE(needsBacktracking("[(?!]x"));
  CHECK_FALSE(needsBacktracking("\\+\\+"));
  CHECK_FALSE(needsBacktracking("[[:alpha:](?!]x"));
  CHECK(needsBacktracking("a?+b"));
  std::string re2;
  REQUIRE(rewriteForRe2({"[[:alpha:]$]$", false, false, false, false}, &re2));
  CHECK(re2 == "[[:alpha:]$](?:\\n?\\z)");  // only the anchor is rewritten
  REQUIRE(rewriteForRe2({"[]a]b$", false, false, true, false}, &re2));
  CHECK(re2 == "(?m)[\\]a]b$");
  CHECK_FALSE(rewriteForRe2({"a\\vb", false, false, false, false}, &re2));
  std::string out;
  CHECK(relaxBoundedRepeats("[^>]{0,2048}x\\d{1,3}a{40,50}", 32, &out));
  CHECK(out == "[^>]{0,}x\\d{1,3}a{32,}");
  CHECK_FALSE(relaxBoundedRepeats("a{1,3}[{0,99}]", 32, &out));
}

TEST_CASE("Meta expressions follow Perl's operators and precedence", "[rules]") {
  auto eval = [](const std::string& e, std::vector<double> v) {
    MetaExpression m;
    std::string err;
    REQUIRE(m.parse(e, &err));
    return m.evaluate([&](size_t i) { return i < v.size() ? v[i] : 0.0; });
  };
  CHECK(eval("A && B", {1, 2}) == 2);  // && yields the deciding operand
  CHECK(eval("A || B", {0, 3}) == 3);
  CHECK(eval("A || B && C", {0, 1, 0}) == 0);
  CHECK(eval("(A + B + C) >= 2", {1, 0, 1}) == 1);
  CHECK(eval("!A && B", {0, 1}) == 1);
  CHECK(eval("A * 2 + B > 4", {2, 1}) == 1);
  CHECK(eval("A / B", {1, 0}) == 0);  // division by zero yields 0, not a crash
  CHECK(eval("A - -B", {1, 2}) == 3);
  MetaExpression m;
  std::string err;
  CHECK_FALSE(m.parse("A && (B", &err));
  CHECK(err.find("missing ')'") != std::string::npos);
  CHECK_FALSE(m.parse("A B", &err));
  CHECK_FALSE(m.parse("A &&", &err));
}

TEST_CASE("Rule files: conditionals, includes, scores, tflags, errors with file and line",
          "[rules]") {
  auto dir = std::filesystem::temp_directory_path() / "portcullis-rules-test";
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "main.cf")
        << "include sub/extra.cf\n"
           "ifplugin Mail::SpamAssassin::Plugin::Nonexistent\n"
           "body IN_MISSING_PLUGIN /x/\n"
           "else\n"
           "body IN_ELSE /y/\n"
           "endif\n"
           "if (version >= 3.004000) && can(Mail::SpamAssassin::Conf::feature_bug6558_free)\n"
           "body IN_VERSION /z/\n"
           "endif\n"
           "if !plugin(Mail::SpamAssassin::Plugin::ReplaceTags)\n"
           "body NOT_REPLACETAGS /q/\n"
           "endif\n"
           "score IN_ELSE 1.5 2 3 4\n"
           "score IN_VERSION 2.5\n"
           "tflags IN_ELSE multiple maxhits=3 nice\n"
           "describe IN_ELSE Hits y\n"
           "body BROKEN /unclosed\n"
           "header BADHDR Subject ~~ /x/\n"
           "meta BADMETA (A &&\n"
           "freemail_domains example.com\n";
    std::filesystem::create_directories(dir / "sub");
    std::ofstream(dir / "sub" / "extra.cf") << "header FROM_INCLUDE From =~ /x/   # a comment\n"
                                               "body HASH_ESCAPED /a\\#b/\n";
  }
  RuleFileParser p;
  p.addPath((dir / "main.cf").string());
  ParsedRules parsed = p.finish();
  std::map<std::string, const Rule*> byName;
  for (const auto& r : parsed.rules) byName[r.name] = &r;
  CHECK(byName.count("FROM_INCLUDE"));
  CHECK(byName.count("IN_ELSE"));
  CHECK(byName.count("IN_VERSION"));
  CHECK_FALSE(byName.count("IN_MISSING_PLUGIN"));
  CHECK_FALSE(byName.count("NOT_REPLACETAGS"));
  CHECK(byName["HASH_ESCAPED"]->regex.pattern == "a#b");
  const Rule& e = *byName["IN_ELSE"];
  CHECK(e.score(1) == 2);
  CHECK(e.multiple);
  CHECK(e.maxHits == 3);
  CHECK(e.description == "Hits y");
  CHECK(byName["IN_VERSION"]->score(3) == 2.5);
  CHECK(byName["FROM_INCLUDE"]->score(0) == 1.0);  // SpamAssassin's default score
  CHECK(parsed.ignored["freemail_domains"] == 1);
  REQUIRE(parsed.errors.size() == 3);
  CHECK(parsed.errors[0].str().find("main.cf:17: body rule BROKEN: regex is not closed") !=
        std::string::npos);
  CHECK(parsed.errors[1].str().find("main.cf:18: header rule BADHDR: expected =~ or !~") !=
        std::string::npos);
  CHECK(parsed.errors[2].str().find("main.cf:19: meta BADMETA") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("replace_tags expands tags the way SpamAssassin's ReplaceTags does", "[rules]") {
  ParsedRules parsed;
  auto c = compileText(
      "replace_tag A (?:a|@)\n"
      "replace_tag B b\n"
      "replace_inter SP [\\s.]?\n"
      "replace_tag V <A><B>\n"
      "body TAGGED /<inter SP><A><B>c/i\n"
      "body NESTED /x<V>/\n"
      "replace_rules TAGGED NESTED\n",
      &parsed);
  // Perl's split leaves an empty field before each adjacent tag, and inter fills every one.
  CHECK(c->find("TAGGED")->regex.pattern == "[\\s.]?(?:a|@)[\\s.]?bc");
  CHECK(c->find("NESTED")->regex.pattern == "x(?:a|@)b");
  SimpleMessageText t;
  t.bodyLines = {"A BC\n", "x@b\n"};
  auto hits = hitNames(*c, t);
  CHECK(hits.count("TAGGED"));
  CHECK(hits.count("NESTED"));
}

TEST_CASE("Each match path gives Perl's answer", "[rules]") {
  auto c = compileText(
      "body DIRECT /viagra/i\n"
      "body LOOKAHEAD /\\bcheap(?! shot)\\b/\n"  // prefilter + confirm
      "body BACKREF /\\b(\\w+) \\1\\b/\n"        // repeated word
      "body DOLLAR /end$/\n"                     // before the final newline
      "body BIGREPEAT /<a[^>]{0,2048}href/\n"    // relaxed for Hyperscan
      "body COUNTED /\\bfree\\b/i\n tflags COUNTED multiple maxhits=2\n"
      "body NOSUBJ /Subject words/\n tflags NOSUBJ nosubject\n"
      "body SUBJ /Subject words/\n"
      "body ZERO /anything/\nscore ZERO 0\n");
  CHECK(c->path(static_cast<size_t>(c->find("DIRECT") - c->rules().data())) == MatchPath::Direct);
  CHECK(c->path(static_cast<size_t>(c->find("LOOKAHEAD") - c->rules().data())) ==
        MatchPath::Prefilter);
  CHECK(c->path(static_cast<size_t>(c->find("BIGREPEAT") - c->rules().data())) ==
        MatchPath::Prefilter);
  CHECK(c->path(static_cast<size_t>(c->find("ZERO") - c->rules().data())) == MatchPath::NotRun);
  SimpleMessageText t;
  t.subjectLines = 1;
  t.bodyLines = {"Subject words\n", "cheap shot, the the end\n", "VIAGRA free free free\n",
                 "<a title=x href=y>\n", "anything\n"};
  auto hits = hitNames(*c, t);
  CHECK(hits.count("DIRECT"));
  CHECK_FALSE(hits.count("LOOKAHEAD"));
  CHECK(hits.count("BACKREF"));
  CHECK(hits.count("DOLLAR"));
  CHECK(hits.count("BIGREPEAT"));
  CHECK(hitCount(*c, t, "COUNTED") == 2);
  CHECK(hits.count("SUBJ"));
  CHECK_FALSE(hits.count("NOSUBJ"));
  CHECK_FALSE(hits.count("ZERO"));  // score 0: not run, as in SpamAssassin
  t.bodyLines[1] = "cheap deal\n";
  CHECK(hitNames(*c, t).count("LOOKAHEAD"));
}

TEST_CASE("Header rules: absent headers, negation, exists, if-unset, addr and name", "[rules]") {
  auto c = compileText(
      "header EMPTY_SUBJ Subject =~ /^$/\n"
      "header NOT_X X-Foo !~ /bar/\n"
      "header HAS_DATE exists:Date\n"
      "header UNSET X-Missing =~ /^default$/ [if-unset: default]\n"
      "header FROM_ADDR From:addr =~ /^john\\@example\\.com$/\n"
      "header FROM_NAME From:name =~ /^John Doe$/\n"
      "header TOCC ToCc =~ /b\\@x/\n"
      "header ALLH ALL =~ /^X-Foo: baz$/m\n"
      "header EVALED eval:check_for_something()\n"
      "meta USES_EVAL EVALED || HAS_DATE\n"
      "meta COUNTS (EMPTY_SUBJ + NOT_X + HAS_DATE) == 2\n");
  SimpleMessageText t;
  t.headers = {{"From", "\"John Doe\" <john@example.com>"}, {"X-Foo", "baz"}, {"Cc", "b@x"}};
  auto hits = hitNames(*c, t);
  CHECK(hits.count("EMPTY_SUBJ"));  // no Subject reads as ""
  CHECK(hits.count("NOT_X"));
  CHECK_FALSE(hits.count("HAS_DATE"));
  CHECK(hits.count("UNSET"));
  CHECK(hits.count("TOCC"));
  CHECK(hits.count("ALLH"));
  CHECK(hits.count("COUNTS"));
  CHECK(c->find("EVALED")->support == Support::Eval);
  CHECK(c->find("USES_EVAL")->support == Support::DependsOnUnsupported);
  CHECK_FALSE(hits.count("USES_EVAL"));
  // :addr and :name need a real header parser: the content layer's.
  CHECK(content::parseHeaderAddresses("\"John Doe\" <john@example.com>, b@x (Bee)").size() == 2);
  CHECK(content::parseHeaderAddresses("\"John Doe\" <john@example.com>")[0].phrase == "John Doe");
  CHECK(content::parseHeaderAddresses("b@x (Bee)")[0].phrase == "Bee");
  CHECK(content::parseHeaderAddresses("undisclosed-recipients:;").empty());
}

TEST_CASE("mimeheader rules test every MIME part on its own", "[rules]") {
  auto c = compileText(
      "mimeheader PART_ZIP Content-Type =~ /^application\\/zip/\n"
      "mimeheader PART_NAME_RAW Content-Type:raw =~ /name=\"?invoice/i\n"
      "mimeheader NO_PART_PDF Content-Type !~ /pdf/\n"
      "mimeheader UNSET_DISPO Content-Disposition =~ /^none$/ [if-unset: none]\n"
      "mimeheader BAD_MODIFIER From:addr =~ /x/\n");
  std::string raw =
      "From: a@example.com\r\nSubject: s\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
      "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
      "--b\r\nContent-Type: application/zip;\r\n name=\"Invoice.zip\"\r\nContent-Disposition: "
      "attachment\r\n\r\nUEsDBA==\r\n--b--\r\n";
  mime::Message m = mime::parseMessage(raw);
  content::SaMessageText text(raw, m);
  auto hits = hitNames(*c, text);
  CHECK(hits.count("PART_ZIP"));  // anchored: only matches the part's own value
  CHECK(hits.count("PART_NAME_RAW"));
  CHECK(hits.count("NO_PART_PDF"));
  CHECK(hits.count("UNSET_DISPO"));  // the text part has no Content-Disposition
  CHECK(c->find("BAD_MODIFIER")->support == Support::UnsupportedType);
}

TEST_CASE("Meta dependency cycles are refused with file and line", "[rules]") {
  ParsedRules parsed;
  compileText("meta A B\nmeta B A\nmeta C D_UNDEFINED\n", &parsed);
  REQUIRE(parsed.errors.size() == 2);
  CHECK(parsed.errors[0].str() == "test.cf:1: meta A: dependency cycle");
  REQUIRE(parsed.warnings.size() == 1);
  CHECK(parsed.warnings[0].message.find("undefined rule D_UNDEFINED") != std::string::npos);
}

TEST_CASE("SpamAssassin body rendering: Subject first, paragraphs, collapsed blanks", "[rules]") {
  CHECK(content::collapseWhitespace("a \n b\n\n\nc  d") == "a b\nc d");
  CHECK(content::collapseWhitespace("x \n\n y") == "x \n y");
  CHECK(content::collapseWhitespace("no\xC2\xA0"
                                    "break") == "no break");
  std::string longLine(5000, 'a');
  longLine[3000] = ' ';
  auto lines = content::splitShortLines(longLine + "\n");
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].size() == 2048);
  auto chunks = content::splitShortParagraphs(std::string(10000, 'x'));
  CHECK(chunks.size() >= 3);
  size_t total = 0;
  for (auto& ch : chunks) total += ch.size();
  CHECK(total == 10000);

  std::string raw =
      "From: a@example.com\r\nSubject: =?utf-8?q?Hello_World?=\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/alternative; boundary=b\r\n\r\n"
      "--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n"
      "WEpTKkM0SkRCUUFETjEuTlNCTjMqMklETkVOKkdUVUJFLVNUQU5EQVJELUFOVEktVUJFLVRFU1QtRU1BSUwqQy4zNFgK"
      "\r\n"
      "--b\r\nContent-Type: text/html\r\n\r\n<p>Visit <a "
      "href=\"http://x.example/r?u=http://evil.example/p\">here</a></p>"
      "<p>or write to info@shop.example</p>\r\n--b--\r\n";
  mime::Message m = mime::parseMessage(raw);
  content::SaMessageText text(raw, m);
  REQUIRE(text.body().size() >= 2);
  CHECK(text.body()[0] == "Hello World\n");
  CHECK(text.bodySubjectLines() == 1);
  CHECK(text.body()[1].find("GTUBE-STANDARD") != std::string::npos);
  const auto& uris = text.uris();
  CHECK(std::find(uris.begin(), uris.end(), "http://evil.example/p") != uris.end());
  CHECK(std::find(uris.begin(), uris.end(), "mailto:info@shop.example") != uris.end());
  REQUIRE_FALSE(text.rawBody().empty());
  CHECK(text.rawBody().back().find("<a href") != std::string::npos);  // rawbody is not rendered
  CHECK(text.header({"Subject"}) == std::vector<std::string>{"Hello World\n"});
  rules::HeaderQuery raw2047{"Subject", true};
  CHECK(text.header(raw2047) == std::vector<std::string>{"=?utf-8?q?Hello_World?=\n"});
}

TEST_CASE(
    "The shipped rule set compiles cleanly, its inline tests pass, and GTUBE in base64 is found",
    "[rules]") {
  content::RulesSettings settings;
  settings.paths = {std::string(PORTCULLIS_SOURCE_DIR) + "/rules/shipped"};
  auto loaded = content::loadRules(settings);
  for (const auto& e : loaded.errors) FAIL(e.str());
  REQUIRE(loaded.rules);
  CHECK(loaded.warnings.empty());
  // Every `test` line of the shipped files must run and pass: counted from the files, so a test
  // that silently stops running (a rule that no longer loads, a test line no longer read) fails
  // here. A meta rule cannot be tested on a text, so a test line on one is an error too.
  size_t testLines = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(PORTCULLIS_SOURCE_DIR) + "/rules/shipped")) {
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);)
      if (line.starts_with("test ") || line.starts_with("test\t")) ++testLines;
  }
  const auto results = rules::runInlineTests(*loaded.rules);
  CHECK(testLines >= 30);
  CHECK(results.size() == testLines);
  size_t passed = 0;
  for (const auto& r : results) {
    INFO(r.file << ":" << r.line << " " << r.rule << " " << r.note);
    CHECK(r.passed);
    passed += r.passed;
  }
  CHECK(passed == testLines);
  for (const auto& s : loaded.rules->report().skipped) FAIL(s.name + ": " + s.reason);

  content::ContentRulesCheck check(loaded, {});
  core::SessionInfo session;
  core::Transaction tx;
  tx.message =
      "From: a@example.com\r\nSubject: test\r\nDate: Mon, 23 Nov 2026 10:00:00 "
      "+0000\r\nMessage-Id: <1@x>\r\n"
      "Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n"
      "WEpTKkM0SkRCUUFETjEuTlNCTjMqMklETkVOKkdUVUJFLVNUQU5EQVJELUFOVEktVUJFLVRFU1QtRU1BSUwqQy4zNFgK"
      "\r\n";
  core::PolicyMap policies;
  core::CheckContext ctx{session, &tx, nullptr, *policies.fallback()};
  core::StageOutcome out;
  bool done = false;
  check.run(ctx, out, [&] { done = true; });
  CHECK(done);
  bool gtube = false;
  for (const auto& s : out.symbols) gtube = gtube || (s.name == "GTUBE" && s.score == 1000);
  CHECK(gtube);
  for (const auto& s : out.symbols) CHECK(s.name.rfind("__", 0) != 0);  // sub-rules never surface
}

TEST_CASE("Header groups scan their own rules only, and the database cache gives the same hits",
          "[rules]") {
  // Rules on different headers, with patterns that would match the other header's value: a
  // rule must only ever see the header it names, also when loaded back from the cache.
  const std::string text =
      "header SUBJ_WIN Subject =~ /win/\n"
      "header FROM_WIN From =~ /win/\n"
      "header NOT_SUBJ_WIN Subject !~ /win/\n"
      "header SUBJ_BACKREF Subject =~ /(a)\\1/\n"  // no Hyperscan path: the full engine
      "header MAILER_X X-Mailer =~ /^x/ [if-unset: xyz]\n"
      "body BODY_WIN /win/\n";
  SimpleMessageText t;
  t.headers = {{"Subject", "you win, aa"}, {"From", "someone@example.com"}};
  t.bodyLines = {"plain text"};
  const auto dir = std::filesystem::temp_directory_path() /
                   ("portcullis-hsdb-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  auto compileCached = [&] {
    RuleFileParser p;
    p.addText(text, "test.cf");
    CompileOptions o;
    o.cacheDir = dir.string();
    std::string err;
    auto c = CompiledRules::compile(p.finish(), o, &err);
    INFO(err);
    REQUIRE(c);
    return c;
  };
  const std::set<std::string> expected{"SUBJ_WIN", "SUBJ_BACKREF", "MAILER_X"};
  auto fresh = compileCached();
  CHECK(hitNames(*fresh, t) == expected);
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    files += e.path().extension() == ".hsdb";
  CHECK(files >= 2);  // header and body
  CHECK(hitNames(*compileCached(), t) == expected);
  // A damaged cache file is ignored and rebuilt, not trusted.
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().string().find("header") != std::string::npos)
      std::ofstream(e.path(), std::ios::binary | std::ios::trunc) << "portcullis-hsdb 2\n0\n9\n";
  CHECK(hitNames(*compileCached(), t) == expected);
  std::filesystem::remove_all(dir);
}
