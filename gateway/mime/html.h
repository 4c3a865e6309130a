// text/html to visible text with a real HTML parser (gumbo, an HTML5 tokenizer and tree
// builder): no regex stripping. Collects link targets on the way. Gumbo only sees what the
// budget (html_prescan.h) allows; past it the text and links still come out, from the tokens.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "gateway/mime/html_prescan.h"

namespace portcullis::mime {

struct RenderedHtml {
  std::string text;               // visible text, block elements on their own lines
  std::vector<std::string> urls;  // href, src, action, background attributes, in document order
  std::string title;
  HtmlCut cut = HtmlCut::None;  // which limit cut the tree short, if one did
};

RenderedHtml renderHtml(std::string_view utf8Html, const HtmlLimits& limits = {});

}  // namespace portcullis::mime
