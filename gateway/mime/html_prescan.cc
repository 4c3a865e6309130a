// A model of the HTML5 tree builder's stack of open elements (WHATWG HTML 13.2.6), kept only
// for its depth: which start tags open an element, which end tags and implied end tags close
// which, where scope boundaries stop them, foreign content (svg, math) and the reconstruction of
// formatting elements. Every simplification keeps an element open rather than closing it, so
// the model's depth is the one to fear, not a flattering one.
#include "gateway/mime/html_prescan.h"

#include <cstdint>
#include <initializer_list>
#include <string>
#include <unordered_map>
#include <vector>

#include "gateway/mime/html_tokens.h"

namespace portcullis::mime {

const char* htmlCutName(HtmlCut cut) {
  switch (cut) {
    case HtmlCut::Bytes:
      return "bytes";
    case HtmlCut::Depth:
      return "depth";
    case HtmlCut::Elements:
      return "elements";
    case HtmlCut::None:
      break;
  }
  return "";
}

namespace {

bool oneOf(std::string_view name, std::initializer_list<std::string_view> names) {
  for (auto n : names)
    if (name == n) return true;
  return false;
}

bool isVoid(std::string_view n) {
  return oneOf(n,
               {"area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image",
                "img", "input", "keygen", "link", "meta", "param", "source", "track", "wbr"});
}

bool isFormatting(std::string_view n) {
  return oneOf(n, {"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike",
                   "strong", "tt", "u"});
}

// Elements that put a marker on the list of active formatting elements.
bool isMarker(std::string_view n) {
  return oneOf(n, {"td", "th", "caption", "applet", "object", "marquee", "template"});
}

bool isHeading(std::string_view n) {
  return n.size() == 2 && n[0] == 'h' && n[1] >= '1' && n[1] <= '6';
}

bool isSpecialHtml(std::string_view n) {
  static const std::initializer_list<std::string_view> kSpecial = {
      "address",  "applet",     "area",     "article",    "aside",    "base",      "basefont",
      "bgsound",  "blockquote", "body",     "br",         "button",   "caption",   "center",
      "col",      "colgroup",   "dd",       "details",    "dir",      "div",       "dl",
      "dt",       "embed",      "fieldset", "figcaption", "figure",   "footer",    "form",
      "frame",    "frameset",   "head",     "header",     "hgroup",   "hr",        "html",
      "iframe",   "img",        "input",    "keygen",     "li",       "link",      "listing",
      "main",     "marquee",    "menu",     "meta",       "nav",      "noembed",   "noframes",
      "noscript", "object",     "ol",       "p",          "param",    "plaintext", "pre",
      "script",   "search",     "section",  "select",     "source",   "style",     "summary",
      "table",    "tbody",      "td",       "template",   "textarea", "tfoot",     "th",
      "thead",    "title",      "tr",       "track",      "ul",       "wbr",       "xmp"};
  return isHeading(n) || oneOf(n, kSpecial);
}

enum class Ns { Html, Svg, Math };

// MathML text integration points and HTML integration points: HTML again inside them.
bool isIntegrationPoint(Ns ns, std::string_view n) {
  if (ns == Ns::Math) return oneOf(n, {"mi", "mo", "mn", "ms", "mtext", "annotation-xml"});
  if (ns == Ns::Svg) return oneOf(n, {"foreignobject", "desc", "title"});
  return false;
}

// Start tags that end foreign content (HTML 13.2.6.5); font only with color, face or size.
bool breaksOutOfForeign(const HtmlToken& t) {
  if (t.name == "font") {
    bool color = false, face = false, size = false;
    attributeValue(t.attrs, "color", &color);
    attributeValue(t.attrs, "face", &face);
    attributeValue(t.attrs, "size", &size);
    return color || face || size;
  }
  return isHeading(t.name) ||
         oneOf(t.name, {"b",   "big",   "blockquote", "body",  "br",    "center", "code",   "dd",
                        "div", "dl",    "dt",         "em",    "embed", "head",   "hr",     "i",
                        "img", "li",    "listing",    "menu",  "meta",  "nobr",   "ol",     "p",
                        "pre", "ruby",  "s",          "small", "span",  "strong", "strike", "sub",
                        "sup", "table", "tt",         "u",     "ul",    "var"});
}

// Start tags that close an open p in button scope first.
bool closesP(std::string_view n) {
  return isHeading(n) ||
         oneOf(n,
               {"address",   "article", "aside",   "blockquote", "center",     "details", "dialog",
                "dir",       "div",     "dl",      "fieldset",   "figcaption", "figure",  "footer",
                "header",    "hgroup",  "main",    "menu",       "nav",        "ol",      "p",
                "search",    "section", "summary", "ul",         "pre",        "listing", "form",
                "plaintext", "hr",      "xmp",     "li",         "dd",         "dt"});
}

enum class Scope { Default, Button, ListItem, Table };

class TreeModel {
 public:
  explicit TreeModel(const HtmlLimits& limits) : limits_(limits) {}

  // Applies one token; false when a limit is broken (the token is then not kept).
  bool apply(const HtmlToken& t, HtmlTokenizer& tokens) {
    switch (t.kind) {
      case HtmlToken::Kind::Text:
        if (t.rawText) return rawText(t, tokens);
        if (!inForeign()) return reconstruct();
        return true;
      case HtmlToken::Kind::StartTag:
        return startTag(t, tokens);
      case HtmlToken::Kind::EndTag:
        return endTag(t);
      default:
        return true;
    }
  }

  HtmlCut cut() const { return cut_; }
  int deepest() const { return deepest_; }
  size_t elements() const { return elements_; }

 private:
  struct Open {
    std::string name;
    Ns ns = Ns::Html;
    uint64_t active = 0;  // its entry in active_, 0: none
    bool foreign() const { return ns != Ns::Html; }
    bool integration() const { return isIntegrationPoint(ns, name); }
  };
  struct Active {
    uint64_t id = 0;
    std::string name;
    std::string key;  // name and raw attributes: what "identical" means for Noah's Ark
    bool marker = false;
    bool open = true;
  };

  bool inForeign() const {
    return !stack_.empty() && stack_.back().foreign() && !stack_.back().integration();
  }

  bool fail(HtmlCut c) {
    cut_ = c;
    return false;
  }

  bool push(std::string name, Ns ns, uint64_t active = 0) {
    if (ns == Ns::Html) ++inStack_[name];
    stack_.push_back({std::move(name), ns, active});
    if (static_cast<int>(stack_.size()) > limits_.maxDepth) return fail(HtmlCut::Depth);
    if (static_cast<int>(stack_.size()) > deepest_) deepest_ = static_cast<int>(stack_.size());
    return true;
  }

  Active* entry(uint64_t id) {
    for (size_t k = active_.size(); k-- > 0;)
      if (active_[k].id == id) return &active_[k];
    return nullptr;
  }

  void removeEntry(uint64_t id) {
    for (size_t k = active_.size(); k-- > 0;)
      if (active_[k].id == id) {
        active_.erase(active_.begin() + static_cast<std::ptrdiff_t>(k));
        return;
      }
  }

  void clearToMarker() {
    while (!active_.empty()) {
      bool marker = active_.back().marker;
      active_.pop_back();
      if (marker) return;
    }
  }

  // Pops the top element; `own`: closed by its own end tag (a formatting element then leaves
  // the list of active formatting elements instead of waiting to be reconstructed).
  void pop(bool own) {
    Open o = std::move(stack_.back());
    stack_.pop_back();
    if (!o.foreign() && --inStack_[o.name] == 0) inStack_.erase(o.name);
    if (isMarker(o.name) && !o.foreign()) {
      clearToMarker();
    } else if (o.active) {
      if (own) {
        removeEntry(o.active);
      } else if (Active* a = entry(o.active)) {
        a->open = false;
      }
    }
  }

  void popTo(size_t index, bool own) {
    while (stack_.size() > index + 1) pop(false);
    pop(own);
  }

  bool contains(const std::string& name) const { return inStack_.count(name) != 0; }

  // Index of the nearest open `name` in scope, or npos.
  size_t inScope(std::string_view name, Scope scope) const {
    for (size_t k = stack_.size(); k-- > 0;) {
      const Open& o = stack_[k];
      if (o.name == name && !o.foreign()) return k;
      if (o.foreign()) {
        if (o.integration()) return std::string::npos;
        continue;
      }
      if (scope == Scope::Table) {
        if (oneOf(o.name, {"html", "table", "template"})) return std::string::npos;
        continue;
      }
      if (oneOf(o.name, {"applet", "caption", "html", "table", "td", "th", "marquee", "object",
                         "template"}))
        return std::string::npos;
      if (scope == Scope::Button && o.name == "button") return std::string::npos;
      if (scope == Scope::ListItem && (o.name == "ol" || o.name == "ul")) return std::string::npos;
    }
    return std::string::npos;
  }

  // Index of the nearest open `name` with no special element above it, or npos ("any other
  // end tag", and the adoption agency without a furthest block).
  size_t nearestPlain(std::string_view name) const {
    if (!contains(std::string(name))) return std::string::npos;
    for (size_t k = stack_.size(); k-- > 0;) {
      const Open& o = stack_[k];
      if (o.name == name && !o.foreign()) return k;
      if (o.foreign() ? o.integration() : isSpecialHtml(o.name)) return std::string::npos;
    }
    return std::string::npos;
  }

  // The select the tree builder is in, or npos: an HTML select with nothing above it but
  // options and optgroups (nothing else is ever put in one).
  size_t openSelect() const {
    if (!contains("select") || contains("template")) return std::string::npos;
    size_t k = stack_.size() - 1;
    while (k > 0 && (stack_[k].name == "option" || stack_[k].name == "optgroup")) --k;
    return stack_[k].name == "select" && !stack_[k].foreign() ? k : std::string::npos;
  }

  void closeP() {
    if (!contains("p")) return;
    size_t k = inScope("p", Scope::Button);
    if (k != std::string::npos) popTo(k, true);
  }

  // Reopens the formatting elements that were closed by something other than their own end
  // tag, from the last marker on, as the tree builder does before text and most start tags.
  bool reconstruct() {
    if (active_.empty() || active_.back().marker || active_.back().open) return true;
    size_t first = active_.size() - 1;
    while (first > 0 && !active_[first - 1].marker && !active_[first - 1].open) --first;
    for (size_t k = first; k < active_.size(); ++k) {
      active_[k].open = true;
      if (!push(active_[k].name, Ns::Html, active_[k].id)) return false;
    }
    return true;
  }

  // Where the model reads raw text and the tree builder does not (the model's picture of the
  // insertion mode is rough), the tags in it become elements: each one that could be a tag
  // counts towards the element limit, so a mistake here costs at most that many elements.
  bool rawText(const HtmlToken& t, HtmlTokenizer& tokens) {
    const std::string_view text = tokens.input().substr(t.begin, t.end - t.begin);
    for (size_t lt = text.find('<'); lt != std::string_view::npos; lt = text.find('<', lt + 1)) {
      const char c = lt + 1 < text.size() ? text[lt + 1] : ' ';
      if (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && ++elements_ > limits_.maxElements)
        return fail(HtmlCut::Elements);
    }
    return true;
  }

  bool startTag(const HtmlToken& t, HtmlTokenizer& tokens, bool count = true) {
    if (count && ++elements_ > limits_.maxElements) return fail(HtmlCut::Elements);
    const std::string& n = t.name;
    if (oneOf(n, {"html", "head", "body", "frameset"})) return true;  // merged, never nested
    // In a select, the tree builder takes options and scripts and ignores the rest; a select,
    // input or textarea (or in a table, a table part) closes the select first.
    if (const size_t sel = openSelect(); sel != std::string::npos) {
      const bool tablePart =
          oneOf(n, {"caption", "table", "tbody", "tfoot", "thead", "tr", "td", "th"});
      if (n == "select" || n == "input" || n == "keygen" || n == "textarea" ||
          (tablePart && contains("table"))) {
        popTo(sel, true);
        return n == "select" || startTag(t, tokens, false);
      }
      if (n == "option" || n == "optgroup") {
        if (stack_.back().name == "option") pop(true);
        if (n == "optgroup" && stack_.back().name == "optgroup") pop(true);
        return pushHtml(t, tokens);
      }
      if (n == "script" || n == "template") return pushHtml(t, tokens);
      return true;
    }
    if (inForeign()) {
      if (!breaksOutOfForeign(t)) {
        if (t.selfClosing) return true;
        return push(n, stack_.back().ns);  // the namespace of the element it is in
      }
      while (inForeign()) pop(false);
    }
    if (n == "svg" || n == "math") {
      if (!reconstruct()) return false;
      return t.selfClosing || push(n, n == "svg" ? Ns::Svg : Ns::Math);
    }
    // A template's content has insertion modes of its own; in one (rare in mail), the model
    // closes nothing it does not have to.
    if (contains("template")) return pushHtml(t, tokens);
    // Implied end tags.
    if (n == "li" || n == "dd" || n == "dt") {
      for (size_t k = stack_.size(); k-- > 0;) {
        const std::string& o = stack_[k].name;
        if (n == "li" ? o == "li" : (o == "dd" || o == "dt")) {
          popTo(k, true);
          break;
        }
        const bool special = stack_[k].foreign() ? stack_[k].integration() : isSpecialHtml(o);
        if (special && o != "address" && o != "div" && o != "p") break;
      }
    }
    if (closesP(n)) closeP();
    if (isHeading(n) && !stack_.empty() && isHeading(stack_.back().name)) pop(true);
    if ((n == "option" || n == "optgroup") && !stack_.empty() && stack_.back().name == "option")
      pop(true);
    const bool tablePart =
        oneOf(n, {"td", "th", "tr", "tbody", "thead", "tfoot", "caption", "col", "colgroup"});
    // Outside a table (or a template), the tree builder drops them.
    if (tablePart && !contains("table") && !contains("template")) return true;
    if (n == "td" || n == "th" || n == "tr" || n == "tbody" || n == "thead" || n == "tfoot") {
      for (size_t k = stack_.size(); k-- > 0;) {
        const std::string& o = stack_[k].name;
        if (o == "table" || o == "template" || o == "html") break;
        const bool closes = ((o == "td" || o == "th") && (n == "td" || n == "th")) ||
                            (o == "tr" && n != "td" && n != "th") ||
                            ((o == "tbody" || o == "thead" || o == "tfoot") &&
                             (n == "tbody" || n == "thead" || n == "tfoot"));
        if (closes) {
          popTo(k, true);
          break;
        }
      }
    }
    if (n == "a" || n == "button" || n == "nobr") {
      size_t k = n == "button" ? inScope("button", Scope::Default) : nearestPlain(n);
      if (k != std::string::npos) popTo(k, true);
    }
    return pushHtml(t, tokens);
  }

  bool pushHtml(const HtmlToken& t, HtmlTokenizer& tokens) {
    const std::string& n = t.name;
    // Block and table start tags do not reopen formatting elements; the text in them does.
    const bool block = closesP(n) || oneOf(n, {"table", "caption", "colgroup", "col", "tbody",
                                               "thead", "tfoot", "tr", "td", "th"});
    if (!block && !reconstruct()) return false;
    if (isVoid(n)) return true;
    // Rows and cells put straight into a table get the tbody and tr the tree builder implies.
    if (!stack_.empty() && (n == "tr" || n == "td" || n == "th")) {
      const std::string top = stack_.back().name;  // a copy: push() may move the stack
      if (top == "table" && !push("tbody", Ns::Html)) return false;
      if (n != "tr" && (top == "table" || top == "tbody" || top == "thead" || top == "tfoot") &&
          !push("tr", Ns::Html))
        return false;
    }
    uint64_t id = 0;
    if (isFormatting(n)) {
      id = ++nextId_;
      std::string key = n + '\0' + std::string(t.attrs);
      // Noah's Ark: at most three identical entries after the last marker.
      int same = 0;
      size_t earliest = 0;
      for (size_t k = active_.size(); k-- > 0 && !active_[k].marker;)
        if (active_[k].key == key) ++same, earliest = k;
      if (same >= 3) active_.erase(active_.begin() + static_cast<std::ptrdiff_t>(earliest));
      active_.push_back({id, n, std::move(key), false, true});
    } else if (isMarker(n)) {
      active_.push_back({++nextId_, n, {}, true, true});
    }
    // Reconstruction walks this list at every text run: its length is a depth of its own.
    if (active_.size() > static_cast<size_t>(limits_.maxDepth)) return fail(HtmlCut::Depth);
    if (!push(n, Ns::Html, id)) return false;
    if (isRawTextElement(n)) tokens.rawTextUntilEndOf(n);
    return true;
  }

  bool endTag(const HtmlToken& t) {
    const std::string& n = t.name;
    if (oneOf(n, {"html", "head", "body", "frameset"})) return true;
    if (n == "br") return reconstruct();  // "</br>" is read as "<br>"
    for (size_t k = stack_.size(); k-- > 0 && stack_[k].foreign();) {
      if (stack_[k].name == n) {
        popTo(k, true);
        return true;
      }
    }
    if (contains("template")) {
      for (size_t k = stack_.size(); n == "template" && k-- > 0;)
        if (stack_[k].name == "template" && !stack_[k].foreign()) {
          popTo(k, true);
          break;
        }
      return true;
    }
    if (const size_t sel = openSelect(); sel != std::string::npos) {
      if (n == "option" || n == "optgroup") {
        if (stack_.back().name == n) pop(true);
      } else if (n == "select" ||
                 (contains("table") &&
                  oneOf(n, {"caption", "table", "tbody", "tfoot", "thead", "tr", "td", "th"}))) {
        popTo(sel, true);
        if (n != "select") return endTag(t);
      }
      return true;  // the tree builder ignores every other end tag in a select
    }
    size_t k = std::string::npos;
    if (isFormatting(n)) {
      k = nearestPlain(n);
      if (k == std::string::npos && !contains(n)) {
        // Not open at all: the adoption agency drops it from the list if it waits there.
        for (size_t a = active_.size(); a-- > 0 && !active_[a].marker;)
          if (active_[a].name == n && !active_[a].open) {
            active_.erase(active_.begin() + static_cast<std::ptrdiff_t>(a));
            break;
          }
      }
    } else if (isHeading(n)) {
      for (const char* h : {"h1", "h2", "h3", "h4", "h5", "h6"}) {
        size_t at = inScope(h, Scope::Default);
        if (at != std::string::npos && (k == std::string::npos || at > k)) k = at;
      }
    } else if (n == "form") {
      // "</form>" takes the form out of the stack but leaves what it holds open, so the tree
      // only gets shallower when the form is the current element.
      if (!stack_.empty() && stack_.back().name == "form") k = stack_.size() - 1;
    } else if (isSpecialHtml(n)) {
      Scope scope = Scope::Default;
      if (n == "p") scope = Scope::Button;
      if (n == "li") scope = Scope::ListItem;
      if (oneOf(n, {"td", "th", "tr", "tbody", "thead", "tfoot", "table", "caption"}))
        scope = Scope::Table;
      if (contains(n)) k = inScope(n, scope);
    } else {
      k = nearestPlain(n);
    }
    if (k != std::string::npos) popTo(k, true);
    return true;
  }

  const HtmlLimits& limits_;
  std::vector<Open> stack_;
  std::unordered_map<std::string, int> inStack_;  // open HTML elements by name
  std::vector<Active> active_;                    // the list of active formatting elements
  uint64_t nextId_ = 0;
  HtmlCut cut_ = HtmlCut::None;
  int deepest_ = 0;
  size_t elements_ = 0;
};

}  // namespace

HtmlPrescan prescanHtml(std::string_view html, const HtmlLimits& limits) {
  HtmlPrescan r;
  const bool tooLong = html.size() > limits.maxBytes;
  if (tooLong) html = html.substr(0, limits.maxBytes);
  HtmlTokenizer tokens(html);
  TreeModel model(limits);
  r.keep = html.size();
  for (HtmlToken t = tokens.next(); t.kind != HtmlToken::Kind::End; t = tokens.next()) {
    if (!model.apply(t, tokens)) {
      r.keep = t.begin;
      break;
    }
  }
  r.cut = model.cut() != HtmlCut::None ? model.cut() : tooLong ? HtmlCut::Bytes : HtmlCut::None;
  r.depth = model.deepest();
  r.elements = model.elements() - (model.cut() == HtmlCut::Elements ? 1 : 0);
  return r;
}

}  // namespace portcullis::mime
