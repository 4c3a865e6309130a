// A linear HTML tokenizer, after the HTML5 tokenizer's states for tags, comments and raw text:
// the cheap pass that runs before the tree builder (gumbo), so the budget of what gumbo may see
// is decided without paying gumbo's costs, and the tail past that budget still yields its text.
// No entity decoding and no tree: tokens only, each visited once.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace portcullis::mime {

struct HtmlToken {
  enum class Kind { Text, StartTag, EndTag, Comment, End };
  Kind kind = Kind::End;
  std::string name;        // tags: the name lower-cased (ASCII)
  std::string_view attrs;  // tags: the raw attribute text between the name and the '>'
  bool selfClosing = false;
  bool rawText = false;       // text: the content of a raw-text element
  size_t begin = 0, end = 0;  // the token's bytes in the input
};

class HtmlTokenizer {
 public:
  explicit HtmlTokenizer(std::string_view html) : html_(html) {}

  // The next token; Kind::End at the end of input (a tag cut by the end of input is dropped,
  // as the HTML5 tokenizer drops it).
  HtmlToken next();

  // Called after a start tag whose content is text up to its own end tag (script, style,
  // textarea, title, xmp, iframe, noembed, noframes; plaintext: to the end of input).
  void rawTextUntilEndOf(std::string_view name) { rawText_ = name; }

  std::string_view input() const { return html_; }

 private:
  HtmlToken tag(size_t lt, bool endTag);
  HtmlToken text(size_t from, size_t to);
  size_t skipTo(size_t from, std::string_view terminator) const;

  std::string_view html_;
  size_t pos_ = 0;
  std::string rawText_;
};

// Whether a start tag's content is raw text for the tokenizer (see rawTextUntilEndOf).
bool isRawTextElement(std::string_view name);

// The value of attribute `name` (lower-case) in a tag's raw attribute text, unquoted; ""
// when absent. `found` tells an absent attribute from an empty one.
std::string attributeValue(std::string_view attrs, std::string_view name, bool* found = nullptr);

}  // namespace portcullis::mime
