// The budget of HTML work: the pre-scan that decides what gumbo may see (depth, element count,
// bytes; comments, raw text and void elements not nesting; the tree builder's tricks that nest
// deeper than the tags say), the render past the cut, the MIME anomaly, and the CPU-time budget
// of a message's content work (WorkBudget, the rule scan's stop).
#include <gumbo.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "gateway/mime/html.h"
#include "gateway/mime/html_prescan.h"
#include "gateway/mime/html_tokens.h"
#include "gateway/mime/message.h"
#include "gateway/mime/work_budget.h"
#include "rules/engine/compiled_rules.h"
#include "rules/engine/message_text.h"

using namespace portcullis;
using namespace portcullis::mime;

namespace {

std::string repeat(std::string_view s, int n) {
  std::string out;
  out.reserve(s.size() * static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

HtmlLimits smallLimits(int depth = 10, size_t elements = 1000) {
  HtmlLimits l;
  l.maxDepth = depth;
  l.maxElements = elements;
  return l;
}

// The deepest element of gumbo's tree for `html`, html and body included; iterative, since
// the tree may be deep.
int gumboDepth(std::string_view html) {
  GumboOutput* out = gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size());
  int deepest = 0;
  std::vector<std::pair<const GumboNode*, int>> todo{{out->document, 0}};
  while (!todo.empty()) {
    auto [node, depth] = todo.back();
    todo.pop_back();
    if (depth > deepest) deepest = depth;
    const GumboVector* children = nullptr;
    if (node->type == GUMBO_NODE_DOCUMENT) children = &node->v.document.children;
    if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE)
      children = &node->v.element.children;
    if (!children) continue;
    for (unsigned i = 0; i < children->length; ++i) {
      auto* c = static_cast<const GumboNode*>(children->data[i]);
      if (c->type == GUMBO_NODE_ELEMENT || c->type == GUMBO_NODE_TEMPLATE)
        todo.emplace_back(c, depth + 1);
    }
  }
  gumbo_destroy_output(&kGumboDefaultOptions, out);
  return deepest;
}

}  // namespace

TEST_CASE("HTML pre-scan: nesting past the depth limit is cut before the tag", "[html_budget]") {
  const std::string ok = repeat("<div>", 10) + "text";
  auto r = prescanHtml(ok, smallLimits(10));
  CHECK(r.cut == HtmlCut::None);
  CHECK(r.keep == ok.size());
  CHECK(r.depth == 10);

  const std::string deep = repeat("<div>", 11) + "text";
  r = prescanHtml(deep, smallLimits(10));
  CHECK(r.cut == HtmlCut::Depth);
  CHECK(r.keep == 50);  // before the 11th <div>
  CHECK(r.depth == 10);

  // Closed elements do not add up.
  r = prescanHtml(repeat("<div><span>x</span></div>", 100), smallLimits(3));
  CHECK(r.cut == HtmlCut::None);
  CHECK(r.depth == 2);
}

TEST_CASE("HTML pre-scan: the element count", "[html_budget]") {
  const std::string html = repeat("<br>", 30);
  auto r = prescanHtml(html, smallLimits(10, 20));
  CHECK(r.cut == HtmlCut::Elements);
  CHECK(r.keep == 20 * 4);
  CHECK(r.elements == 20);
  CHECK(prescanHtml(html, smallLimits(10, 30)).cut == HtmlCut::None);
}

TEST_CASE("HTML pre-scan: comments, scripts and styles are not counted", "[html_budget]") {
  const std::string divs = repeat("<div>", 100);
  for (const std::string& html : std::vector<std::string>{
           "<!--" + divs + "-->", "<script>" + divs + "</script>", "<style>" + divs + "</style>",
           "<title>" + divs + "</title>", "<textarea>" + divs + "</textarea>",
           "<!DOCTYPE html><p>a</p>", "<script>if (a</script) {}" + divs + "</SCRIPT >"}) {
    INFO(html.substr(0, 40));
    auto r = prescanHtml(html, smallLimits(10, 1000));
    CHECK(r.cut == HtmlCut::None);
    CHECK(r.keep == html.size());
  }
  // A comment closes where HTML5 closes it: "<!-->" is a whole comment, so what follows counts.
  for (const std::string& html :
       std::vector<std::string>{"<!-->" + divs, "<!--->" + divs, "<!-- a --!>" + divs,
                                "<!-- <script> -->" + divs, "<? x >" + divs}) {
    INFO(html.substr(0, 40));
    CHECK(prescanHtml(html, smallLimits(10)).cut == HtmlCut::Depth);
  }
  // A '>' inside a quoted attribute value does not end the tag.
  CHECK(prescanHtml("<a title='>" + divs + "'>x</a>", smallLimits(10)).cut == HtmlCut::None);
}

TEST_CASE("HTML pre-scan: void elements and implied end tags do not nest", "[html_budget]") {
  for (const std::string& html : std::vector<std::string>{
           repeat("<br><img src=x><hr><input><meta><wbr>", 50), repeat("<p>para", 200),
           "<ul>" + repeat("<li>item", 200) + "</ul>", "<dl>" + repeat("<dt>t<dd>d", 100) + "</dl>",
           "<table>" + repeat("<tr><td><font>a<td><b>b", 100) + "</table>",
           repeat("<a href=x>link", 200), repeat("<h1>a<h2>b", 100),
           "<select>" + repeat("<option>o", 200) + "</select>",
           repeat("<p><font face=x>sloppy</p>", 300),
           "<svg>" + repeat("<path d='x'/>", 200) + "</svg>"}) {
    INFO(html.substr(0, 60));
    auto r = prescanHtml(html, smallLimits(10, 10000));
    CHECK(r.cut == HtmlCut::None);
    CHECK(r.depth <= 10);
  }
}

TEST_CASE("HTML pre-scan: tricks that make the tree deeper than the tags look are counted",
          "[html_budget]") {
  for (const std::string& html : std::vector<std::string>{
           repeat("<span><div></span>", 20),      // </span> cannot close past a <div>
           repeat("<div><object></div>", 20),     // nor </div> past an <object>
           repeat("<div><b id=x></div>t", 20),    // <b> is reopened by the text after
           "<svg><style>" + repeat("<div>", 40),  // no raw text in foreign content
           repeat("<div/>", 40),                  // "/>" does not close an HTML element
           repeat("<form><div></form>", 20),      // </form> leaves what the form holds open
       }) {
    INFO(html.substr(0, 60));
    CHECK(prescanHtml(html, smallLimits(10, 10000)).cut == HtmlCut::Depth);
    CHECK(gumboDepth(html) > 10);  // the trick is real
  }
}

TEST_CASE("HTML pre-scan: the model is never shallower than gumbo's tree", "[html_budget]") {
  // Random tag soup from the elements whose rules the model follows (found this way: foreign
  // content, select, form, implied tbody); gumbo's tree has html and body above them.
  static const char* kPieces[] = {"<div>",
                                  "</div>",
                                  "<span>",
                                  "</span>",
                                  "<b>",
                                  "</b>",
                                  "<i class=x>",
                                  "</i>",
                                  "<font color=red>",
                                  "</font>",
                                  "<a href=x>",
                                  "</a>",
                                  "<p>",
                                  "</p>",
                                  "<li>",
                                  "<ul>",
                                  "</ul>",
                                  "<table>",
                                  "</table>",
                                  "<tr>",
                                  "<td>",
                                  "</td>",
                                  "<svg>",
                                  "</svg>",
                                  "<path/>",
                                  "<math>",
                                  "<mi>",
                                  "</math>",
                                  "<object>",
                                  "</object>",
                                  "<button>",
                                  "</button>",
                                  "<select>",
                                  "<option>",
                                  "<br>",
                                  "</br>",
                                  "<h1>",
                                  "</h2>",
                                  "<dd>",
                                  "<nobr>",
                                  "text ",
                                  "<!-- c -->",
                                  "<script>x</script>",
                                  "<div/>",
                                  "<caption>",
                                  "<tbody>",
                                  "<template>",
                                  "</template>",
                                  "<title>t</title>",
                                  "<textarea>",
                                  "</textarea>",
                                  "<form>",
                                  "</form>"};
  std::mt19937 rng(15);
  std::uniform_int_distribution<size_t> pick(0, std::size(kPieces) - 1);
  int worst = 0;
  std::string worstHtml;
  for (int round = 0; round < 3000; ++round) {
    std::string html;
    for (int k = 0; k < 60; ++k) html += kPieces[pick(rng)];
    HtmlLimits unlimited = smallLimits(100000, 100000);
    const int model = prescanHtml(html, unlimited).depth;
    const int tree = gumboDepth(html) - 2;  // html, body
    if (tree - model > worst) worst = tree - model, worstHtml = html;
  }
  // A few levels of slack: the model does not follow every insertion mode (templates, tables
  // in selects in foreign content); what it misses is bounded by the element limit, and the
  // renderer flags a tree that goes deeper than the limit all the same.
  INFO(worstHtml);
  CHECK(worst <= 10);
}

TEST_CASE("HTML pre-scan: the byte limit", "[html_budget]") {
  HtmlLimits l;
  l.maxBytes = 1024;
  const std::string html = repeat("<p>0123456789</p>", 100);
  auto r = prescanHtml(html, l);
  CHECK(r.cut == HtmlCut::Bytes);
  CHECK(r.keep == 1024);
}

TEST_CASE("HTML render: 200,000 levels are cut, the text and links after still come out",
          "[html_budget]") {
  const std::string html = "<html><body>" + repeat("<div>", 200000) +
                           "deep words <a href=\"http://deep.example/\">here</a>" +
                           "<script>hidden()</script>" + repeat("</div>", 200000);
  const auto started = std::chrono::steady_clock::now();
  RenderedHtml r = renderHtml(html);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  CHECK(r.cut == HtmlCut::Depth);
  CHECK(r.text.find("deep words here") != std::string::npos);
  CHECK(r.text.find("hidden") == std::string::npos);
  CHECK(r.urls == std::vector<std::string>{"http://deep.example/"});
  CHECK(seconds < 2.0);  // quadratic, it took minutes; the bound is loose for loaded machines
}

TEST_CASE("HTML limits are a MIME anomaly, in body parts and attachments", "[html_budget]") {
  const std::string deep = repeat("<div>", 600) + "spam words";
  Message m = parseMessage(
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/html\r\n\r\n" +
      deep + "\r\n--b--\r\n");
  CHECK(m.anomalies == std::vector<std::string>{"MIME_HTML_LIMIT"});
  CHECK(m.root.children.at(0).rendered.find("spam words") != std::string::npos);

  m = parseMessage("Content-Type: text/html\r\nContent-Disposition: attachment\r\n\r\n" + deep);
  CHECK(m.anomalies == std::vector<std::string>{"MIME_HTML_LIMIT"});

  m = parseMessage("Content-Type: text/html\r\n\r\n" + repeat("<div>", 100) + "fine");
  CHECK(m.anomalies.empty());
}

TEST_CASE("Work budget: thread CPU time, a fake clock for tests, zero is unlimited",
          "[html_budget]") {
  std::chrono::nanoseconds now{0};
  WorkBudget b(std::chrono::milliseconds(5), [&] { return now; });
  CHECK_FALSE(b.exhausted());
  now = std::chrono::milliseconds(4);
  CHECK_FALSE(b.exhausted());
  now = std::chrono::milliseconds(5);
  CHECK(b.exhausted());
  CHECK_FALSE(WorkBudget().exhausted());
  CHECK_FALSE(WorkBudget(std::chrono::milliseconds(0), [&] { return now * 1000; }).exhausted());

  // The real clock moves with this thread's work.
  WorkBudget real(std::chrono::milliseconds(1));
  volatile unsigned sink = 0;
  while (!real.exhausted()) sink = sink + 1;
  CHECK(sink > 0);
}

TEST_CASE("A message parsed past its time budget stops and says so", "[html_budget]") {
  Limits l;
  l.maxScanTime = std::chrono::milliseconds(1);
  std::string raw = "Content-Type: multipart/mixed; boundary=b\r\n\r\n";
  const std::string part =
      "--b\r\nContent-Type: text/html\r\n\r\n" + repeat("<p>x<b>y</b>", 5000) + "\r\n";
  for (int i = 0; i < 200; ++i) raw += part;
  raw += "--b--\r\n";
  Message m = parseMessage(raw, l);
  CHECK(std::find(m.anomalies.begin(), m.anomalies.end(), "SCAN_TIME_LIMIT") != m.anomalies.end());
  size_t rendered = 0;
  for (const auto& c : m.root.children) rendered += c.rendered.empty() ? 0 : 1;
  CHECK(rendered < 200);
  CHECK(m.budget.exhausted());
}

TEST_CASE("A rule scan told to stop reports it and evaluates no meta", "[html_budget]") {
  rules::RuleFileParser p;
  p.addText(
      "body WORD /spam/\n"
      "body __OTHER /ham/\n"
      "meta NOT_OTHER !__OTHER\n"
      "score NOT_OTHER 1\n",
      "test.cf");
  std::string err;
  auto c = rules::CompiledRules::compile(p.finish(), {}, &err);
  REQUIRE(c);
  rules::SimpleMessageText t;
  t.bodyLines = {"spam\n"};
  auto full = c->scan(t);
  CHECK_FALSE(full.stopped);
  CHECK(full.hits.size() == 2);  // WORD, NOT_OTHER
  auto none = c->scan(t, false, [] { return true; });
  CHECK(none.stopped);
  CHECK(none.hits.empty());
}
