// check_equal_from_domains (HeaderEval.pm): the From address and the envelope sender are in
// different second-level domains (HEADER_FROM_DIFFERENT_DOMAINS). "Second level" is simply the
// last two labels, as SpamAssassin takes it (so mail.example.co.uk and www.example.co.uk agree
// on "co.uk").
#include <cctype>

#include "gateway/content/evals/header_evals.h"
#include "gateway/content/evals/scalar_get.h"

namespace portcullis::content::evals {
namespace {

// /\@([^@]*)\z/ then s/^.+\.([^\.]+\.[^\.]+)$/$1/, lower-cased.
std::string lastTwoLabels(const std::string& address) {
  size_t at = address.rfind('@');
  if (at == std::string::npos) return {};
  std::string domain = address.substr(at + 1);
  size_t last = domain.rfind('.');
  if (last != std::string::npos && last > 0 && last + 1 < domain.size()) {
    size_t previous = domain.rfind('.', last - 1);
    // Two non-empty labels after a dot that has something before it.
    if (previous != std::string::npos && previous > 0 && previous + 1 < last)
      domain = domain.substr(previous + 1);
  }
  for (char& c : domain) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return domain;
}

}  // namespace

int checkEqualFromDomains(const EvalContext& ctx, const EvalArgs& /*args*/) {
  std::string from = lastTwoLabels(scalarGet(ctx, "From:addr"));
  if (from.empty()) return 0;
  std::string envfrom = lastTwoLabels(scalarGet(ctx, "EnvelopeFrom:addr"));
  if (envfrom.empty()) return 0;
  return from != envfrom ? 1 : 0;
}

}  // namespace portcullis::content::evals
