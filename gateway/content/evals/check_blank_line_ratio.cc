// check_blank_line_ratio(min, max[, minlines]): the percentage of blank lines in the decoded
// text parts; -1 (never in range unless min is 0 and max negative) under `minlines` lines.
#include <cctype>

#include "gateway/content/evals/body_evals.h"
#include "gateway/content/evals/mime_eval_args.h"
#include "gateway/content/evals/mime_facts.h"

namespace portcullis::content::evals {
namespace {

bool typeIsTextOrMessage(const SaPart& part) {
  // effective_type: a part named *.htm(l) counts as text/html.
  std::string name = part.name;
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (name.ends_with(".htm") || name.ends_with(".html") || name.ends_with(".shtm") ||
      name.ends_with(".shtml"))
    return true;
  auto wordEnd = [&](size_t n) {
    return part.type.size() == n ||
           !(std::isalnum(static_cast<unsigned char>(part.type[n])) || part.type[n] == '_');
  };
  return (part.type.starts_with("text") && wordEnd(4)) ||
         (part.type.starts_with("message") && wordEnd(7));
}

}  // namespace

int checkBlankLineRatio(const EvalContext& ctx, const std::vector<std::string>& args) {
  if (args.size() < 2) return 0;
  double min = perlNumber(args[0]);
  double max = perlNumber(args[1]);
  double minLines = args.size() > 2 ? perlNumber(args[2]) : 1;
  if (minLines < 1) minLines = 1;
  const SaMimeTree& tree = ctx.facts<MimeFacts>().tree;
  size_t lines = 0;
  size_t blank = 0;
  for (const SaPart* part : tree.findParts([](const std::string&) { return true; }, true)) {
    if (!typeIsTextOrMessage(*part) || part->type == "text/calendar") continue;
    for (const std::string& chunk : splitIntoShortParagraphs(part->decode())) {
      size_t start = 0;
      while (start < chunk.size()) {
        size_t nl = chunk.find('\n', start);
        size_t end = nl == std::string::npos ? chunk.size() : nl + 1;
        ++lines;
        bool hasText = false;
        for (size_t i = start; i < end; ++i)
          if (!std::isspace(static_cast<unsigned char>(chunk[i]))) hasText = true;
        if (!hasText) ++blank;
        start = end;
      }
    }
  }
  double ratio = static_cast<double>(lines) < minLines
                     ? -1
                     : 100.0 * static_cast<double>(blank) / static_cast<double>(lines);
  return ((min == 0 && ratio <= max) || (ratio > min && ratio <= max)) ? 1 : 0;
}

}  // namespace portcullis::content::evals
