#include "gateway/content/evals/alternative_difference_facts.h"

#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "gateway/content/evals/eval_context.h"

namespace portcullis::content::evals {
namespace {

bool isBlank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// grep(/\w/, split(/\s+/, $text)): non-ASCII bytes count as word characters (the text is UTF-8
// and Perl's \w on characters takes letters of every script).
void countWords(const std::string& text, std::map<std::string, int>& words) {
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && isBlank(text[i])) ++i;
    size_t start = i;
    bool word = false;
    while (i < text.size() && !isBlank(text[i])) {
      auto c = static_cast<unsigned char>(text[i]);
      if (std::isalnum(c) || c == '_' || c >= 0x80) word = true;
      ++i;
    }
    if (word) ++words[text.substr(start, i - start)];
  }
}

bool hasImgTag(const std::string& html) {
  for (size_t at = html.find('<'); at != std::string::npos; at = html.find('<', at + 1)) {
    if (at + 4 > html.size()) break;
    std::string tag = html.substr(at + 1, 3);
    for (char& c : tag) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (tag == "img" &&
        (at + 4 == html.size() || !std::isalnum(static_cast<unsigned char>(html[at + 4]))))
      return true;
  }
  return false;
}

void textLeaves(const mime::Part& part, std::vector<const mime::Part*>& out) {
  if (part.children.empty()) {
    if (part.type == "text") out.push_back(&part);
    return;
  }
  for (const auto& child : part.children) textLeaves(child, out);
}

void alternatives(const mime::Part& part, std::vector<const mime::Part*>& out) {
  if (part.type == "multipart" && part.subtype == "alternative") out.push_back(&part);
  for (const auto& child : part.children) alternatives(child, out);
}

}  // namespace

AlternativeDifferenceFacts::AlternativeDifferenceFacts(const EvalContext& ctx) {
  const mime::Part& root = ctx.message().root;
  std::vector<const mime::Part*> found;
  alternatives(root, found);
  if (found.empty()) return;
  // A calendar invitation (alternative of HTML and text/calendar) is left alone.
  if (root.type == "multipart" && root.subtype == "alternative" && root.children.size() == 2 &&
      root.children[0].mediaType() == "text/html" &&
      root.children[1].mediaType() == "text/calendar")
    return;
  for (const mime::Part* alternative : found) {
    std::map<std::string, int> html;
    std::map<std::string, int> text;
    std::vector<const mime::Part*> leaves;
    textLeaves(*alternative, leaves);
    for (const mime::Part* leaf : leaves) {
      if (leaf->subtype == "html") {
        countWords(leaf->rendered, html);
        if (html.empty() && hasImgTag(leaf->text)) html["\n"] = 1;
      } else {
        countWords(leaf->text, text);
      }
    }
    if (html.empty()) continue;
    const size_t original = html.size();
    htmlWords = static_cast<int>(original);
    textWords = static_cast<int>(text.size());
    for (const auto& [word, count] : text) {
      auto it = html.find(word);
      if (it != html.end() && it->second - count < 1) html.erase(it);
    }
    double diff = static_cast<double>(html.size()) / static_cast<double>(original) * 100;
    if (diff > difference) difference = diff;
  }
}

}  // namespace portcullis::content::evals
