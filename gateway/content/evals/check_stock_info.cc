// check_stock_info(min): how many distinct stock-tip labels ("Symbol:", "Target Price:", ...)
// the first text/plain part uses, at least `min` (TVD_STOCK1).
#include <cctype>
#include <functional>
#include <regex>
#include <set>

#include "gateway/content/evals/body_evals.h"
#include "gateway/content/evals/mime_eval_args.h"
#include "gateway/content/evals/mime_sa_parts.h"

namespace portcullis::content::evals {
namespace {

const mime::Part* firstPlainText(const mime::Part& part) {
  if (part.children.empty()) return part.mediaType() == "text/plain" ? &part : nullptr;
  for (const auto& child : part.children)
    if (const mime::Part* found = firstPlainText(child)) return found;
  return nullptr;
}

int stockLabels(const EvalContext& ctx) {
  const mime::Part* part = firstPlainText(ctx.message().root);
  if (!part) return 0;
  static const std::regex label("^[ \\t\\r\\f\\v]*([^:\\s][^:\\n]{2,29})\\s*:\\s*\\S");
  static const std::regex stockWord(
      "^tradingdate$|^tradedate$|company(?:name)?$|"
      "s\\w?(?:t\\w?o\\w?c\\w?k|y\\w?m(?:\\w?b\\w?o\\w?l)?)$|t(?:arget|icker)$|"
      "(?:opening|current)p(?:rice)?$|p(?:rojected|osition)$|expectations$|weeks?high$|"
      "marketperformance$|(?:year|week|month|day|price)(?:target|estimates?)$|sector$|"
      "r(?:ecommendation|ating)$");
  std::set<std::string> hits;
  for (const std::string& chunk : splitIntoShortParagraphs(part->text)) {
    size_t start = 0;
    while (start < chunk.size()) {
      size_t nl = chunk.find('\n', start);
      size_t end = nl == std::string::npos ? chunk.size() : nl;
      // The label's line and what follows it (the value may start on the next line).
      std::string rest = chunk.substr(start);
      std::smatch m;
      if (std::regex_search(rest, m, label, std::regex_constants::match_continuous)) {
        std::string letters;
        for (char c : m[1].str()) {
          char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          if (l >= 'a' && l <= 'z') letters += l;
        }
        // The alternation is unanchored on the left except for the trade-date label: the
        // first alternative that matches a suffix names the hit.
        for (size_t from = 0; from <= letters.size(); ++from) {
          std::smatch w;
          std::string tail = letters.substr(from);
          if (std::regex_match(tail, w, stockWord) && (from == 0 || !tail.starts_with("trad"))) {
            hits.insert(tail);
            break;
          }
        }
      }
      start = end + 1;
    }
  }
  return static_cast<int>(hits.size());
}

}  // namespace

int checkStockInfo(const EvalContext& ctx, const std::vector<std::string>& args) {
  double min = args.empty() ? 0 : perlNumber(args[0]);
  int labels = stockLabels(ctx);
  return (min == 0 || labels >= min) ? 1 : 0;
}

}  // namespace portcullis::content::evals
