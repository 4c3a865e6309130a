// SpamAssassin's reading of an HTML or CSS color value (HTML.pm name_to_rgb): a named color,
// "#rgb" / "#rrggbb" (cut or padded as HTML.pm does), or rgb(r,g,b) in numbers or percents,
// as "#rrggbb"; anything else is "invalid", the value HTML_FONT_INVALID's test looks for.
#pragma once
#include <string>
#include <string_view>

namespace portcullis::content::evals {

std::string htmlNameToRgb(std::string_view color);

}  // namespace portcullis::content::evals
