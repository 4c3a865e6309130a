// SpamAssassin's HTML statistics (Mail/SpamAssassin/HTML.pm's results, plus what
// Message/Node.pm's rendered() adds): one set per text/html part SpamAssassin renders, in the
// order its html_all list has them. The HTML eval functions read these; each loops over the
// parts and hits when one part qualifies, as HTMLEval.pm does.
//
// HTML.pm counts start and end tags as written (HTML::Parser is a tokenizer, not a tree
// builder), so the facts come from the project's linear tokenizer (mime/html_tokens.h), not
// from gumbo's tree. A part is read up to the HTML byte limit and while the message's work
// budget lasts; the facts are those of what was read.
#pragma once
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/mime/html_prescan.h"
#include "gateway/mime/work_budget.h"

namespace portcullis::content::evals {

class EvalContext;

struct HtmlUriDetail {
  std::set<std::string> types;          // the tags that named the URI: a, img, iframe, ...
  std::vector<std::string> anchorText;  // one entry per <a> naming it (img inside: "<img>\n")
  bool hasAnchorText = false;           // an <a> named it (even with no text)
};

struct HtmlPartFacts {
  // HTML.pm's scalar results by their names: html, length, image_area, min_size, max_size,
  // closed_extra_ratio, bad_tag_ratio, non_element_ratio, obfuscation_ratio, backhair_count,
  // font_low_contrast, font_invalid_color, font_face_bad, form_action_mailto, embeds,
  // uri_truncated, html_length, non_space_len, ratio. A name is present only when HTML.pm
  // sets it.
  std::map<std::string, double, std::less<>> numbers;
  // Its list results: comment (as written, "<!--" included), script, title, anchor. A name is
  // present only when HTML.pm collected at least one entry.
  std::map<std::string, std::vector<std::string>, std::less<>> lists;
  // inside{tag}: start tags minus end tags, never below 0; every tag name seen is present.
  std::map<std::string, long, std::less<>> inside;
  std::optional<std::string> charsets;  // <meta http-equiv=Content-Type> charsets, space-joined
  std::map<std::string, HtmlUriDetail, std::less<>> uris;  // uri_detail
  bool cut = false;  // a limit or the work budget stopped the reading early

  const double* number(std::string_view name) const;
  const std::vector<std::string>* list(std::string_view name) const;
  // HTMLEval's html_test: the result is present and true in Perl's sense.
  bool isTrue(std::string_view name) const;
};

// The statistics of one HTML document (UTF-8 text, as SpamAssassin decodes it with
// normalize_charset on). `decodedBytes` is the part's size before charset conversion (for
// `ratio`). Stops at `limits.maxBytes` and when `budget` (if any) runs out.
HtmlPartFacts computeHtmlPartFacts(std::string_view utf8Html, size_t decodedBytes,
                                   const mime::HtmlLimits& limits,
                                   const mime::WorkBudget* budget = nullptr);

class HtmlFacts {
 public:
  explicit HtmlFacts(const EvalContext& context);
  // One entry per HTML part SpamAssassin renders with a non-empty body (an empty one has no
  // results in SpamAssassin either, so no eval can hit on it).
  const std::vector<HtmlPartFacts>& parts() const { return parts_; }

 private:
  std::vector<HtmlPartFacts> parts_;
};

}  // namespace portcullis::content::evals
