// SpamAssassin's html eval functions: the list of those implemented, one file each.
#include "gateway/content/evals/html_evals.h"

#include <memory>

#include "gateway/content/evals/eval_registry.h"
#include "gateway/content/evals/registry_boundaries.h"

namespace portcullis::content::evals {

void registerHtmlEvals(EvalRegistry& registry, const EvalSettings& settings) {
  registry.add("html_test", htmlTest);
  registry.add("html_range", htmlRange);
  registry.add("html_eval", htmlEval);
  registry.add("html_tag_exists", htmlTagExists);
  registry.add("html_tag_balance", htmlTagBalance);
  registry.add("html_image_only", htmlImageOnly);
  registry.add("html_image_ratio", htmlImageRatio);
  registry.add("html_text_match", htmlTextMatch);
  registry.add("html_text_not_match", htmlTextNotMatch);
  registry.add("html_title_subject_ratio", htmlTitleSubjectRatio);
  registry.add("check_iframe_src", checkIframeSrc);
  registry.add("check_https_ip_mismatch", checkHttpsIpMismatch);
  auto boundaries = std::make_shared<const RegistryBoundaries>(settings);
  registry.add("check_https_http_mismatch",
               [boundaries](const EvalContext& context, const Args& args) {
                 return checkHttpsHttpMismatch(context, args, *boundaries);
               });
  // ok_locales: the last setting wins, "all" when none (10_default_prefs.cf says so too).
  std::vector<std::string> okLocales;
  std::string_view value = settings.last("ok_locales", "all");
  for (size_t at = 0; at < value.size();) {
    size_t end = value.find_first_of(" \t", at);
    if (end == std::string_view::npos) end = value.size();
    if (end > at) okLocales.emplace_back(value.substr(at, end - at));
    at = end + 1;
  }
  registry.add("html_charset_faraway", [okLocales](const EvalContext& context, const Args&) {
    return htmlCharsetFaraway(context, okLocales);
  });
}

}  // namespace portcullis::content::evals
