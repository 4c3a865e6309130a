// The budget of HTML a message may make the tree builder (gumbo) build. Gumbo's work grows
// with the square of the nesting depth (every start tag walks the stack of open elements), so
// 100,000 nested <div>s cost seconds; the limit has to act before gumbo sees the input. This
// pass walks the tokens once with a model of the tree builder's stack of open elements and
// says where the input must be cut: at the tag that would nest too deep or open one element
// too many, or at the byte limit.
#pragma once
#include <cstddef>
#include <string_view>

namespace portcullis::mime {

struct HtmlLimits {
  size_t maxBytes = 4 * 1024 * 1024;  // of one HTML part
  int maxDepth = 512;                 // open elements at once (browsers stop nesting at 512)
  size_t maxElements = 10000;         // start tags (heavy newsletters have a few thousand)
};

enum class HtmlCut { None, Bytes, Depth, Elements };
const char* htmlCutName(HtmlCut cut);  // "bytes", "depth", "elements"; "" for None

struct HtmlPrescan {
  size_t keep = 0;  // bytes of the input the tree builder may see
  HtmlCut cut = HtmlCut::None;
  int depth = 0;        // the deepest nesting the model saw in what is kept
  size_t elements = 0;  // start tags in what is kept
};

// The model errs towards deeper than gumbo's tree: it follows the end tags, implied end tags,
// scope boundaries, foreign content (svg, math) and reconstructed formatting elements of the
// HTML5 tree builder, and where it simplifies, it keeps elements open rather than closing them.
HtmlPrescan prescanHtml(std::string_view html, const HtmlLimits& limits);

}  // namespace portcullis::mime
