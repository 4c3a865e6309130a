// text/html to visible text with a real HTML parser (gumbo, an HTML5 tokenizer and tree
// builder): no regex stripping. Collects link targets on the way.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::mime {

struct RenderedHtml {
  std::string text;               // visible text, block elements on their own lines
  std::vector<std::string> urls;  // href, src, action, background attributes, in document order
  std::string title;
};

RenderedHtml renderHtml(std::string_view utf8Html);

}  // namespace portcullis::mime
