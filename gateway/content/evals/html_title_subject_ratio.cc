// html_title_subject_ratio(ratio): a part's longest <title> is more than `ratio` times as
// long as the Subject (in characters).
#include "gateway/content/evals/html_evals.h"
#include "gateway/content/evals/html_facts.h"

namespace portcullis::content::evals {

namespace {
size_t characters(std::string_view s) {
  size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}
}  // namespace

int htmlTitleSubjectRatio(const EvalContext& context, const Args& args) {
  if (args.size() != 1) return 0;
  const double limit = perlNumber(args[0]);
  const std::string subject = context.get("Subject");
  if (subject.empty()) return 0;
  const double subjectLength = static_cast<double>(characters(subject));
  for (const auto& part : context.facts<HtmlFacts>().parts()) {
    const auto* titles = part.list("title");
    if (!titles) continue;
    double max = 0;
    for (const auto& title : *titles) {
      if (title.empty() || title == "0") continue;  // Perl's false strings
      max = std::max(max, static_cast<double>(characters(title)) / subjectLength);
    }
    if (max > limit) return 1;
  }
  return 0;
}

}  // namespace portcullis::content::evals
