#include "gateway/content/evals/relay_pattern.h"

#include <stdexcept>

namespace portcullis::content::evals {
namespace {

constexpr std::string_view kOctet = R"((?:1\d\d|2[0-4]\d|25[0-5]|[1-9]\d|\d))";

std::string ipv4() {
  std::string o(kOctet);
  return o + R"(\.)" + o + R"(\.)" + o + R"(\.)" + o;
}

std::string ipAddress() {
  const std::string h = "[a-f0-9]{1,4}";
  return R"((?i:\b(?<!:))" + ipv4() + R"(\b|(?:IPv6:|(?<![a-f0-9:]))(?:(?:(?:)" + h +
         ":){6}|::(?:" + h + ":){0,5}|(?:" + h + ":){1,5}:|" + h + "::(?:" + h + ":){1,4}|(?:" + h +
         ":){2}:(?:" + h + ":){1,3}|(?:" + h + ":){3}:(?:" + h + ":){1,2}|(?:" + h + ":){4}:" + h +
         ":)" + ipv4() + "|(?:" + h + ":){7}" + h + "|:(?::" + h + "){1,7}|(?:" + h + ":){1,7}:|" +
         h + ":(?::" + h + "){1,6}|(?:" + h + ":){2}(?::" + h + "){1,5}|(?:" + h + ":){3}(?::" + h +
         "){1,4}|(?:" + h + ":){4}(?::" + h + "){1,3}|(?:" + h + ":){5}(?::" + h +
         "){1,2}|(?:" + h + ":){6}:" + h + R"(|::)(?![a-f0-9:])))";
}

// Constants.pm IP_PRIVATE, anchored at both ends as IS_IP_PRIVATE is.
const RelayPattern& privateIp() {
  static const std::string v4 =
      R"((?:10|127|169\.254|172\.(?:1[6-9]|2[0-9]|3[01])|192\.168|100\.(?:6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7]))\..*)";
  static const RelayPattern pattern(
      "^(?:" + v4 +
          R"(|(?:IPv6:|(?<![a-f0-9:]))(?:(?:(?:0{1,4}:){5}ffff:|::(?:0{1,4}:){0,4}ffff:|(?:0{1,4}:){1,4}:ffff:|0{1,4}::(?:0{1,4}:){1,3}ffff:|(?:0{1,4}:){2}:0{1,2}:ffff:|(?:0{1,4}:){3}:0:ffff:|(?:0{1,4}:){4}:ffff:))" +
          v4 +
          R"(|fe[89ab][0-9a-f]:.*|(?:0{1,4}:){7}0{0,3}1|:(?::0{1,4}){0,6}:0{0,3}1|0{1,4}:(?::0{1,4}){0,5}:0{0,3}1|(?:0{1,4}:){2}(?::0{1,4}){0,4}:0{0,3}1|(?:0{1,4}:){3}(?::0{1,4}){0,3}:0{0,3}1|(?:0{1,4}:){4}(?::0{1,4}){0,2}:0{0,3}1|(?:0{1,4}:){5}(?::0{1,4}){0,1}:0{0,3}1|(?:0{1,4}:){6}:0{0,3}1)(?![a-f0-9:]))$)",
      true);
  return pattern;
}

}  // namespace

const std::string kSaIpAddress = ipAddress();

RelayPattern::RelayPattern(std::string pattern, bool caseless, bool multiline) {
  rules::PerlRegex re;
  re.pattern = std::move(pattern);
  re.caseless = caseless;
  re.multiline = multiline;
  std::string error;
  regex_ = rules::FullRegex::compile(re, &error);
  if (!regex_) throw std::logic_error("relay eval pattern /" + re.pattern + "/: " + error);
}

bool RelayPattern::search(std::string_view text) const {
  return regex_->search(text);
}

std::string squashWhitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool inSpace = false;
  for (char c : text) {
    // Perl's \s on bytes: space, \t, \n, \v, \f, \r.
    bool space = c == ' ' || (c >= '\t' && c <= '\r');
    if (space) {
      if (!inSpace) out += ' ';
    } else {
      out += c;
    }
    inSpace = space;
  }
  return out;
}

bool isSaIpv4Address(std::string_view text) {
  // Perl's $ also matches before a final newline.
  if (text.ends_with('\n')) text.remove_suffix(1);
  int octets = 0;
  size_t i = 0;
  while (true) {
    size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i - start < 4) ++i;
    size_t len = i - start;
    if (len == 0 || len > 3 || (len > 1 && text[start] == '0')) return false;
    if (std::stoi(std::string(text.substr(start, len))) > 255) return false;
    if (++octets == 4) return i == text.size();
    if (i >= text.size() || text[i] != '.') return false;
    ++i;
  }
}

bool isSaPrivateIp(std::string_view text) {
  return privateIp().search(text);
}

}  // namespace portcullis::content::evals
