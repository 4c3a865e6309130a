// check_for_uppercase(min, max): the share of capitals among letters and digits in the body's
// running text, min < share <= max (__UPPERCASE_*); 0 for charsets whose text looks like
// capitals.
#include <regex>

#include "gateway/content/evals/mime_eval_args.h"
#include "gateway/content/evals/mime_evals.h"
#include "gateway/content/evals/mime_facts.h"

namespace portcullis::content::evals {
namespace {

bool bodyCharsetIsLikelyToFp(const EvalContext& ctx) {
  static const std::regex likely(
      "[-_a-z0-9]*(?:koi|jp|jis|euc|gb|big5|isoir|cp1251|windows-1251|georgianps|pt154|tis)"
      "[-_a-z0-9]*",
      std::regex::icase);
  std::vector<std::string> charsets;
  bool found = false;
  std::string messageCharset = charsetFromContentTypeLine(ctx.get("Content-Type"), &found);
  if (found) charsets.push_back(messageCharset);
  for (const auto& charset : ctx.facts<MimeFacts>().charsets) {
    // split(' ', ...) of the joined list
    size_t i = 0;
    while (i < charset.size()) {
      while (i < charset.size() && std::isspace(static_cast<unsigned char>(charset[i]))) ++i;
      size_t start = i;
      while (i < charset.size() && !std::isspace(static_cast<unsigned char>(charset[i]))) ++i;
      if (i > start) charsets.push_back(charset.substr(start, i - start));
    }
  }
  for (const auto& charset : charsets)
    if (std::regex_match(charset, likely)) return true;
  return false;
}

bool hasSpaceBetweenWords(std::string_view line) {
  // /\S\s+\S/
  auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  for (size_t i = 0; i + 2 < line.size() + 0; ++i) {
    if (space(line[i]) || !space(line[i + 1])) continue;
    size_t j = i + 1;
    while (j < line.size() && space(line[j])) ++j;
    if (j < line.size()) return true;
  }
  return false;
}

bool looksLikeBase64(std::string_view line) {
  // /^(?:[A-Za-z0-9+\/=]{60,76} ){2}/
  size_t at = 0;
  for (int group = 0; group < 2; ++group) {
    size_t run = 0;
    while (at + run < line.size() && run <= 76) {
      char c = line[at + run];
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=')) break;
      ++run;
    }
    if (run < 60 || run > 76 || at + run >= line.size() || line[at + run] != ' ') return false;
    at += run + 1;
  }
  return true;
}

double uppercaseShare(const EvalContext& ctx) {
  if (bodyCharsetIsLikelyToFp(ctx)) return 0;
  size_t length = 0, lower = 0, upper = 0;
  for (const std::string& original : ctx.text().body()) {
    if (!hasSpaceBetweenWords(original) || looksLikeBase64(original)) continue;
    std::string line = original;
    // s/\x1b\$B.*\x1b\(B//gs: ISO-2022-JP runs, greedy to the last end marker.
    size_t open = line.find("\x1b$B");
    if (open != std::string::npos) {
      size_t close = line.rfind("\x1b(B");
      if (close != std::string::npos && close >= open + 3) line.erase(open, close + 3 - open);
    }
    length += line.size();
    for (char c : line) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        ++lower;
      else if (c >= 'A' && c <= 'Z')
        ++upper;
    }
  }
  if (length < 200 || upper + lower == 0) return 0;
  return static_cast<double>(upper) / static_cast<double>(upper + lower) * 100;
}

}  // namespace

int checkForUppercase(const EvalContext& ctx, const Args& args) {
  if (args.size() < 2) return 0;
  double share = uppercaseShare(ctx);
  return share > perlNumber(args[0]) && share <= perlNumber(args[1]) ? 1 : 0;
}

}  // namespace portcullis::content::evals
