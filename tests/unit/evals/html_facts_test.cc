// HtmlFacts: the statistics HTML.pm computes, part by part, and the limits.
#include "tests/unit/evals/html_eval_fixture.h"

#include "gateway/content/evals/html_colors.h"
#include "gateway/content/evals/html_entities.h"
#include "gateway/content/evals/html_target_uri.h"
#include "gateway/mime/work_budget.h"

using namespace portcullis::content::evals;
using portcullis::content::evals::testing::EvalMessage;
using portcullis::content::evals::testing::htmlMessage;

TEST_CASE("HtmlFacts counts tags as written", "[evals][html]") {
  HtmlPartFacts f = computeHtmlPartFacts(
      "<!DOCTYPE html><html><body><p>a<p>b</p></b><o:p></o:p></body></html>", 0, {});
  CHECK(f.inside.at("p") == 1);         // two starts, one end
  CHECK(f.inside.at("b") == 0);         // an end with no start, clamped
  CHECK(f.inside.at("!doctype") == 0);  // the declaration is recorded
  CHECK(f.inside.at("o:p") == 0);       // Office namespace tags count as elements
  // 10 tags plus the doctype, all elements; the stray </b> is the one extra close.
  CHECK(*f.number("closed_extra_ratio") == Approx(1.0 / 11));
  CHECK(*f.number("bad_tag_ratio") == 0);
}

TEST_CASE("HtmlFacts: backhair, comments, scripts, title", "[evals][html]") {
  HtmlPartFacts f = computeHtmlPartFacts(
      "<title>T&amp;C</title><script>var x=1;</script>ab<!-- c -->cd<style>p{}</style>", 0, {});
  CHECK(f.list("title")->at(0) == "T&C");
  CHECK(f.list("script")->at(0) == "var x=1;");
  CHECK(f.list("comment")->at(0) == "<!-- c -->");
  CHECK(*f.number("backhair_count") == 1);  // "ab" + "cd": a word split by a comment
  CHECK(*f.number("non_space_len") == 7);   // T&C ab cd: script and style are not text
  // An unclosed <style> is closed at the end, as HTML.pm does (bug 7437).
  HtmlPartFacts open = computeHtmlPartFacts("<p>x</p><style>p{}", 0, {});
  CHECK(open.inside.at("style") == 0);
}

TEST_CASE("HtmlFacts: links resolved against <base>, anchor text kept", "[evals][html]") {
  HtmlPartFacts f = computeHtmlPartFacts(
      "<base href=\"http://example.com/dir/index.html\"><a href=\"page.html\">Go</a>"
      "<a href=\"https://x.example/\"><img src=\"/i.gif\"></a>",
      0, {});
  REQUIRE(f.uris.count("http://example.com/dir/page.html"));
  CHECK(f.uris.at("http://example.com/dir/page.html").types.count("a"));
  CHECK(f.uris.at("page.html").anchorText.at(0) == "Go");  // as HTML.pm keys anchor text
  CHECK(f.uris.at("https://x.example/").anchorText.at(0) == "<img>\n");
  CHECK(f.uris.count("http://example.com/i.gif"));
}

TEST_CASE("HtmlFacts: every HTML part, empty ones skipped", "[evals][html]") {
  const std::string raw =
      "From: a@example.com\r\nSubject: s\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
      "--b\r\nContent-Type: text/html\r\n\r\n<p>one</p>\r\n"
      "--b\r\nContent-Type: text/html\r\n\r\n\r\n"
      "--b\r\nContent-Type: application/octet-stream; name=page.html\r\n\r\n"
      "<center>two</center>\r\n--b--\r\n";
  EvalMessage m(raw);
  REQUIRE(m.facts().parts().size() == 2);  // the named attachment is HTML to SpamAssassin too
  CHECK(m.run("html_tag_exists", {"center"}) == 1);
}

TEST_CASE("HtmlFacts on a part cut by the byte limit or the work budget", "[evals][html]") {
  std::string big;
  for (int i = 0; i < 2000; ++i) big += "<p>word</p>";
  portcullis::mime::HtmlLimits limits;
  limits.maxBytes = 1100;
  HtmlPartFacts cut = computeHtmlPartFacts(big, big.size(), limits);
  CHECK(cut.cut);
  CHECK(cut.inside.at("p") <= 1);
  CHECK(*cut.number("length") == static_cast<double>(big.size()));  // the part's own length

  // A clock that moves a millisecond per reading: the budget is spent after the first check.
  auto ticks = std::make_shared<long>(0);
  portcullis::mime::WorkBudget spent(std::chrono::milliseconds(1), [ticks] {
    return std::chrono::nanoseconds(++*ticks * 1'000'000);
  });
  HtmlPartFacts late = computeHtmlPartFacts(big, big.size(), {}, &spent);
  CHECK(late.cut);
}

TEST_CASE("HTML.pm's helpers: colors, entities, target URIs", "[evals][html]") {
  CHECK(htmlNameToRgb("White") == "#ffffff");
  CHECK(htmlNameToRgb("#abc") == "#aabbcc");
  CHECK(htmlNameToRgb("#abcd") == "#aabbcc");
  CHECK(htmlNameToRgb("ff0000") == "invalid");  // no '#': HTML.pm does not read it
  CHECK(htmlNameToRgb("rgb(255, 0, 16)") == "#ff0010");
  CHECK(htmlNameToRgb("rgb(100%,0%,0%)") == "#ff0000");
  CHECK(htmlNameToRgb("bogus") == "invalid");
  CHECK(decodeHtmlEntities("a&amp;b&#65;&#x42;&eacute;&copy x&zz;") ==
        "a&bAB\xC3\xA9\xC2\xA9 x&zz;");
  CHECK(htmlTargetUri("", "www.example.com") == "www.example.com");
  CHECK(htmlTargetUri("", "//www.example.com/a") == "http://www.example.com/a");
  CHECK(htmlTargetUri("http://h.example/a/b", "../c") == "http://h.example/c");
  CHECK(htmlTargetUri("http://h.example/a/", "http://o.example/./x") == "http://o.example/x");
}
