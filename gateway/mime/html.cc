#include "gateway/mime/html.h"

#include <gumbo.h>

namespace portcullis::mime {

namespace {

bool isBlock(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_BR: case GUMBO_TAG_LI: case GUMBO_TAG_TR:
    case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
    case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_TABLE: case GUMBO_TAG_UL:
    case GUMBO_TAG_OL: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_PRE: case GUMBO_TAG_HR:
    case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_CENTER: case GUMBO_TAG_FORM: case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_DD:
      return true;
    default:
      return false;
  }
}

bool isInvisible(GumboTag t) {
  return t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE || t == GUMBO_TAG_HEAD || t == GUMBO_TAG_TEMPLATE ||
         t == GUMBO_TAG_NOSCRIPT || t == GUMBO_TAG_OBJECT;
}

void appendText(std::string& out, std::string_view text) {
  // Collapse runs of white space as a browser does.
  for (char c : text) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    if (space) {
      if (!out.empty() && out.back() != ' ' && out.back() != '\n') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
}

void newline(std::string& out) {
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (!out.empty() && out.back() != '\n') out.push_back('\n');
}

void collect(const GumboNode* node, RenderedHtml& r, int depth) {
  if (depth > 200) return;  // gumbo bounds nesting too, but a cap keeps recursion cheap
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
      for (unsigned i = 0; i < el.children.length; ++i) {
        auto* c = static_cast<const GumboNode*>(el.children.data[i]);
        if (c->type == GUMBO_NODE_TEXT) appendText(r.title, c->v.text.text);
      }
      return;
    }
    if (isInvisible(el.tag)) {
      // <head> holds the title and links; walk it for those but render nothing.
      if (el.tag == GUMBO_TAG_HEAD) {
        RenderedHtml hidden;
        for (unsigned i = 0; i < children->length; ++i)
          collect(static_cast<const GumboNode*>(children->data[i]), hidden, depth + 1);
        r.urls.insert(r.urls.end(), hidden.urls.begin(), hidden.urls.end());
        if (r.title.empty()) r.title = hidden.title;
      }
      return;
    }
    if (el.tag == GUMBO_TAG_IMG) {
      if (const GumboAttribute* alt = gumbo_get_attribute(&el.attributes, "alt")) appendText(r.text, alt->value);
    }
    if (isBlock(el.tag)) newline(r.text);
  }
  for (unsigned i = 0; i < children->length; ++i)
    collect(static_cast<const GumboNode*>(children->data[i]), r, depth + 1);
  if (node->type == GUMBO_NODE_ELEMENT && isBlock(node->v.element.tag)) newline(r.text);
}

}  // namespace

RenderedHtml renderHtml(std::string_view html) {
  RenderedHtml r;
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 100;  // we do not report parse errors; stop collecting them early
  GumboOutput* out = gumbo_parse_with_options(&options, html.data(), html.size());
  if (!out) return r;
  collect(out->document, r, 0);
  gumbo_destroy_output(&options, out);
  while (!r.text.empty() && (r.text.back() == '\n' || r.text.back() == ' ')) r.text.pop_back();
  return r;
}

}  // namespace portcullis::mime
