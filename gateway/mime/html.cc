#include "gateway/mime/html.h"

#include <gumbo.h>

#include "gateway/mime/html_tokens.h"

namespace portcullis::mime {

namespace {

// The white space SpamAssassin's HTML renderer (HTML.pm html_whitespace) puts for a tag, at
// its start tag and again at its end tag: a line break, a space, or a paragraph break. Body
// rules see paragraphs, so where these fall decides what a rule like __BODY_TEXT_LINE counts.
std::string_view tagWhitespace(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_BR: case GUMBO_TAG_DIV:
      return "\n";
    case GUMBO_TAG_LI: case GUMBO_TAG_TH: case GUMBO_TAG_TD: case GUMBO_TAG_DT: case GUMBO_TAG_DD:
    case GUMBO_TAG_EMBED: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
    case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
      return " ";
    case GUMBO_TAG_P: case GUMBO_TAG_HR: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_PRE:
    case GUMBO_TAG_LISTING: case GUMBO_TAG_PLAINTEXT: case GUMBO_TAG_XMP: case GUMBO_TAG_TITLE:
      return "\n\n";
    default:
      return {};
  }
}

bool isInvisible(GumboTag t) {
  return t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE || t == GUMBO_TAG_HEAD || t == GUMBO_TAG_TEMPLATE ||
         t == GUMBO_TAG_NOSCRIPT || t == GUMBO_TAG_OBJECT;
}

void appendText(std::string& out, std::string_view text) {
  // Runs of white space in text read as one space (HTML.pm's display_text); none right after
  // a tag's line or paragraph break.
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    if (c == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0') {  // NBSP shows as a space
      space = true;
      ++i;
    }
    if (space) {
      if (!out.empty() && out.back() != ' ' && out.back() != '\n') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
}

// A tag's white space, not merged with the break before it: two <br> make a paragraph break.
void appendWhitespace(std::string& out, std::string_view ws) {
  if (ws.empty()) return;
  if (!out.empty() && out.back() == ' ') out.pop_back();  // the trailing space text left
  out += ws;
}

// Gumbo's tree has html and body above what the budget counted; the slack covers those. A
// deeper tree means the budget's model fell short: what is below is not walked, and says so.
constexpr int kTreeSlack = 16;

void collect(const GumboNode* node, RenderedHtml& r, int depth, int maxDepth) {
  if (depth > maxDepth) {
    if (r.cut == HtmlCut::None) r.cut = HtmlCut::Depth;
    return;
  }
  if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA) {
    appendText(r.text, node->v.text.text);
    return;
  }
  if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_DOCUMENT) return;
  const GumboVector* children = node->type == GUMBO_NODE_DOCUMENT ? &node->v.document.children
                                                                  : &node->v.element.children;
  if (node->type == GUMBO_NODE_ELEMENT) {
    const GumboElement& el = node->v.element;
    for (const char* attr : {"href", "src", "action", "background"}) {
      if (const GumboAttribute* a = gumbo_get_attribute(&el.attributes, attr))
        if (a->value && *a->value) r.urls.emplace_back(a->value);
    }
    if (el.tag == GUMBO_TAG_TITLE) {
      // SpamAssassin shows the title's text in the body too, as a paragraph of its own.
      std::string title;
      for (unsigned i = 0; i < el.children.length; ++i) {
        auto* c = static_cast<const GumboNode*>(el.children.data[i]);
        if (c->type == GUMBO_NODE_TEXT) appendText(title, c->v.text.text);
      }
      if (r.title.empty()) r.title = title;
      appendWhitespace(r.text, "\n\n");
      appendText(r.text, title);
      appendWhitespace(r.text, "\n\n");
      return;
    }
    if (isInvisible(el.tag)) {
      // <head> holds the title and links; walk it for those but render nothing.
      if (el.tag == GUMBO_TAG_HEAD) {
        RenderedHtml hidden;
        for (unsigned i = 0; i < children->length; ++i)
          collect(static_cast<const GumboNode*>(children->data[i]), hidden, depth + 1, maxDepth);
        r.urls.insert(r.urls.end(), hidden.urls.begin(), hidden.urls.end());
        if (r.title.empty()) r.title = hidden.title;
        if (!hidden.title.empty()) {
          appendWhitespace(r.text, "\n\n");
          appendText(r.text, hidden.title);
          appendWhitespace(r.text, "\n\n");
        }
        if (r.cut == HtmlCut::None) r.cut = hidden.cut;
      }
      return;
    }
    // Only tags written in the source: HTML.pm sees no tag the parser implies (a <p> that a
    // <div> closes, an implied <tbody>), and those would add breaks it does not have.
    if (el.original_tag.length) appendWhitespace(r.text, tagWhitespace(el.tag));
  }
  for (unsigned i = 0; i < children->length; ++i)
    collect(static_cast<const GumboNode*>(children->data[i]), r, depth + 1, maxDepth);
  if (node->type == GUMBO_NODE_ELEMENT && node->v.element.original_end_tag.length)
    appendWhitespace(r.text, tagWhitespace(node->v.element.tag));
}

// What lies past the budget, read from the tokens alone: its text (raw-text contents such as
// scripts and styles left out, entities left as written) and its link targets, so that
// nesting a message past the limit does not hide its words and links from the rules.
void renderTail(std::string_view tail, RenderedHtml& r) {
  HtmlTokenizer tokens(tail);
  bool hidden = false;  // inside a raw-text element: its content is not shown
  for (HtmlToken t = tokens.next(); t.kind != HtmlToken::Kind::End; t = tokens.next()) {
    if (t.kind == HtmlToken::Kind::Text) {
      if (!hidden) appendText(r.text, tail.substr(t.begin, t.end - t.begin));
      hidden = false;
      continue;
    }
    if (t.kind != HtmlToken::Kind::StartTag && t.kind != HtmlToken::Kind::EndTag) continue;
    hidden = false;
    appendWhitespace(r.text, tagWhitespace(gumbo_tag_enum(t.name.c_str())));
    if (t.kind != HtmlToken::Kind::StartTag) continue;
    for (const char* attr : {"href", "src", "action", "background"}) {
      std::string v = attributeValue(t.attrs, attr);
      if (!v.empty()) r.urls.push_back(std::move(v));
    }
    if (isRawTextElement(t.name)) {
      tokens.rawTextUntilEndOf(t.name);
      hidden = t.name != "textarea" && t.name != "xmp" && t.name != "plaintext";
    }
  }
}

}  // namespace

RenderedHtml renderHtml(std::string_view html, const HtmlLimits& limits) {
  RenderedHtml r;
  const HtmlPrescan budget = prescanHtml(html, limits);
  r.cut = budget.cut;
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 100;  // we do not report parse errors; stop collecting them early
  GumboOutput* out = gumbo_parse_with_options(&options, html.data(), budget.keep);
  if (!out) return r;
  collect(out->document, r, 0, limits.maxDepth + kTreeSlack);
  gumbo_destroy_output(&options, out);
  if (budget.keep < html.size()) renderTail(html.substr(budget.keep), r);
  return r;
}

}  // namespace portcullis::mime
