// HTML.pm's target_uri: a link resolved against the document's <base href>, RFC 2396 section
// 5.2 as HTML.pm implements it (a scheme equal to the base's is dropped, unschemed www./ftp.
// hosts get http:/ftp:). The results are the keys of SpamAssassin's uri_detail.
#pragma once
#include <string>
#include <string_view>

namespace portcullis::content::evals {

std::string htmlTargetUri(std::string_view base, std::string_view relative);

}  // namespace portcullis::content::evals
