#include "rules/engine/inline_tests.h"

namespace portcullis::rules {

std::vector<InlineTestResult> runInlineTests(const CompiledRules& compiled) {
  std::vector<InlineTestResult> results;
  const auto& rules = compiled.rules();
  for (size_t i = 0; i < rules.size(); ++i) {
    const Rule& r = rules[i];
    for (const InlineTest& t : r.tests) {
      InlineTestResult res{r.name, t.file, t.line, t.mustHit, false, {}};
      if (r.support != Support::Ok || compiled.path(i) == MatchPath::NotRun) {
        res.note = r.support != Support::Ok ? "rule does not run: " + r.reason
                                            : "rule does not run: score 0";
        results.push_back(std::move(res));
        continue;
      }
      SimpleMessageText text;
      switch (r.target) {
        case Target::Header:
          text.everyHeader = t.text;
          break;
        case Target::Body:
          text.bodyLines = {t.text};
          break;
        case Target::RawBody:
          text.rawLines = {t.text};
          break;
        case Target::Uri:
          text.uriList = {t.text};
          break;
        case Target::Full:
          text.fullText = t.text;
          break;
        case Target::Meta:
          res.note = "meta rules cannot be tested on a text";
          results.push_back(std::move(res));
          continue;
      }
      ScanResult scan = compiled.scan(text);
      bool hit = false;
      for (const Hit& h : scan.hits) hit = hit || h.rule == i;
      res.passed = hit == t.mustHit;
      if (!res.passed)
        res.note = t.mustHit ? "did not hit: " + t.text : "hit but must not: " + t.text;
      results.push_back(std::move(res));
    }
  }
  return results;
}

}  // namespace portcullis::rules
