#include "gateway/content/evals/recipient_list_facts.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace portcullis::content::evals {
namespace {

constexpr size_t kSortedCount = 7;    // TOCC_SORTED_COUNT
constexpr size_t kSimilarCount = 5;   // TOCC_SIMILAR_COUNT
constexpr size_t kSimilarLength = 2;  // TOCC_SIMILAR_LENGTH

std::string lower(const std::string& s) {
  std::string out = s;
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

RecipientListFacts::RecipientListFacts(const EvalContext& ctx) {
  std::vector<std::string> inputs;
  for (const char* request : {"ToCc:addr", "Bcc:addr"}) {
    for (std::string a : ctx.getAll(request)) {
      if (a.ends_with('\n')) a.pop_back();
      inputs.push_back(std::move(a));
    }
    if (inputs.size() >= kSimilarCount) break;
  }
  std::vector<std::string> address;
  std::string previous;
  for (const std::string& current : inputs) {
    // Perl's `while (my $current = shift @inputs)` stops at an empty (false) address, or "0".
    if (current.empty() || current == "0") break;
    if (lower(current) != lower(previous)) address.push_back(previous = current);
    if (address.size() == 256) break;
  }
  if (address.size() >= kSortedCount) {
    std::vector<std::string> ordered = address;
    std::sort(ordered.begin(), ordered.end());
    sorted = ordered == address;
  }
  if (address.size() >= kSimilarCount) {
    std::vector<std::string> user, fqhn, host;
    for (const std::string& a : address) {
      user.push_back(a.substr(0, kSimilarLength));
      size_t at = a.find('@');
      // m/\@(.*)/ in list context: an address without '@' adds nothing, shifting the hosts.
      if (at != std::string::npos) fqhn.push_back(a.substr(at + 1));
    }
    for (const std::string& h : fqhn) host.push_back(h.substr(0, kSimilarLength));
    long hits = 0, combinations = 0;
    for (size_t i = 0; i < address.size(); ++i)
      for (size_t j = i + 1; j < address.size(); ++j) {
        if (user[i] == user[j]) ++hits;
        // Perl reads missing entries as undef: equal to each other, so no host hit then.
        std::string hi = i < host.size() ? host[i] : "", hj = j < host.size() ? host[j] : "";
        std::string fi = i < fqhn.size() ? fqhn[i] : "", fj = j < fqhn.size() ? fqhn[j] : "";
        if (hi == hj && fi != fj) ++hits;
        ++combinations;
      }
    similar = static_cast<double>(hits) / static_cast<double>(combinations);
  }
}

}  // namespace portcullis::content::evals
