// HTML.pm's statistics (HtmlFacts) on arbitrary bytes, with a small byte limit so the cut is
// reached too. Invariants: it returns; no tag count is negative; the visible characters are no
// more than the rendered ones; every ratio HTML.pm divides out is finite.
#include <cmath>
#include <cstdint>
#include <string_view>

#include "gateway/content/evals/html_colors.h"
#include "gateway/content/evals/html_entities.h"
#include "gateway/content/evals/html_facts.h"
#include "gateway/content/evals/html_target_uri.h"

using namespace portcullis::content::evals;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  portcullis::mime::HtmlLimits limits;
  limits.maxBytes = 1 << 13;
  const HtmlPartFacts facts = computeHtmlPartFacts(input, size, limits);
  for (const auto& [tag, count] : facts.inside)
    if (count < 0) __builtin_trap();
  const double* rendered = facts.number("html_length");
  const double* visible = facts.number("non_space_len");
  if (!rendered || !visible || *visible > *rendered) __builtin_trap();
  for (const auto& [name, value] : facts.numbers)
    if (!std::isfinite(value)) __builtin_trap();
  // The helpers on the same bytes: the colors, the entity decoder, URI resolution.
  const std::string color = htmlNameToRgb(input.substr(0, 64));
  if (color != "invalid" && (color.empty() || color[0] != '#')) __builtin_trap();
  (void)decodeHtmlEntities(input);
  const size_t half = size / 2;
  (void)htmlTargetUri(input.substr(0, half), input.substr(half));
  return 0;
}
