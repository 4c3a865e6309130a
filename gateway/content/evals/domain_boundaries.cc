#include "gateway/content/evals/domain_boundaries.h"

#include <vector>

namespace portcullis::content::evals {
namespace {

bool isUsState(std::string_view s) {
  static const std::unordered_set<std::string_view> states = {
      "ak", "al", "ar", "az", "ca", "co", "ct", "dc", "de", "fl", "ga", "gu", "hi", "ia",
      "id", "il", "in", "ks", "ky", "la", "ma", "md", "me", "mi", "mn", "mo", "ms", "mt",
      "nc", "nd", "ne", "nh", "nj", "nm", "nv", "ny", "oh", "ok", "or", "pa", "pr", "ri",
      "sc", "sd", "tn", "tx", "ut", "va", "vi", "vt", "wa", "wi", "wv", "wy"};
  return states.contains(s);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string join(const std::vector<std::string>& parts, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < to; ++i) out += (i > from ? "." : "") + parts[i];
  return out;
}

}  // namespace

DomainBoundaries::DomainBoundaries(const EvalSettings& settings) {
  for (auto& w : settings.words("util_rb_2tld")) twoLevel_.insert(lower(w));
  for (auto& w : settings.words("util_rb_3tld")) threeLevel_.insert(lower(w));
}

std::pair<std::string, std::string> DomainBoundaries::split(std::string_view name) const {
  // Empty labels go (www..example.com, leading and trailing dots), as split_domain drops them.
  std::vector<std::string> parts;
  std::string label;
  for (char c : lower(name)) {
    if (c != '.') {
      label += c;
    } else if (!label.empty()) {
      parts.push_back(std::move(label));
      label.clear();
    }
  }
  if (!label.empty()) parts.push_back(std::move(label));

  // Walk labels off the front until what is left is a public suffix plus one label.
  size_t first = 0;
  while (parts.size() - first > 1) {
    size_t left = parts.size() - first;
    if (left == 2 && twoLevel_.contains(join(parts, first, parts.size()))) break;
    if (left == 3) {
      if (parts[first + 2] == "us") {
        if (isUsState(parts[first + 1])) break;
      } else if (threeLevel_.contains(join(parts, first, parts.size()))) {
        break;
      }
    }
    if (left == 4 && parts[first + 3] == "us" &&
        ((parts[first] == "pvt" && parts[first + 1] == "k12") || parts[first] == "ci" ||
         parts[first] == "co") &&
        isUsState(parts[first + 2]))
      break;
    ++first;
  }
  // The label before the suffix belongs to the registered domain.
  if (first > 0) --first;
  return {join(parts, 0, first), join(parts, first, parts.size())};
}

}  // namespace portcullis::content::evals
