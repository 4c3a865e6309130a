// URLs written in plain text: scheme URLs (http, https, ftp, mailto) and "www." hosts.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::mime {

std::vector<std::string> extractTextUrls(std::string_view text);
// The host part of a URL ("https://User@Mx.Example.com:8080/x" -> "mx.example.com"), or "".
std::string urlHost(std::string_view url);

}  // namespace portcullis::mime
