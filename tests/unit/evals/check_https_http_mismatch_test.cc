// check_https_http_mismatch: a link showing an https:// URL of another domain as its text.
#include "tests/unit/evals/html_eval_fixture.h"

#include "gateway/content/evals/registry_boundaries.h"

using portcullis::content::evals::EvalSettings;
using portcullis::content::evals::RegistryBoundaries;
using portcullis::content::evals::testing::EvalMessage;
using portcullis::content::evals::testing::htmlMessage;

namespace {
std::vector<portcullis::rules::Setting> tlds() {
  return {{"util_rb_tld", "com org example", "20_aux_tlds.cf", 1},
          {"util_rb_2tld", "co.uk", "20_aux_tlds.cf", 2}};
}
}  // namespace

TEST_CASE("check_https_http_mismatch (HTTPS_HTTP_MISMATCH)", "[evals][html]") {
  EvalMessage phish(htmlMessage("<a href=\"http://baboz.example.com/\">https://bank.org/</a>"),
                    tlds());
  CHECK(phish.run("check_https_http_mismatch", {"1", "10"}) == 1);
  // The same registered domain: no mismatch.
  EvalMessage same(htmlMessage("<a href=\"http://www.bank.org/x\">https://secure.bank.org/</a>"),
                   tlds());
  CHECK(same.run("check_https_http_mismatch", {"1", "10"}) == 0);
  // Links to IP addresses are left to HTTPS_IP_MISMATCH.
  EvalMessage ip(htmlMessage("<a href=\"http://192.0.2.1/\">https://bank.org/</a>"), tlds());
  CHECK(ip.run("check_https_http_mismatch", {"1", "10"}) == 0);
  // Ten or more anchors in the part: over the rule's bound.
  std::string many;
  for (int i = 0; i < 10; ++i)
    many += "<a href=\"http://l" + std::to_string(i) + ".example.com/\">https://bank.org/</a>";
  EvalMessage crowded(htmlMessage(many), tlds());
  CHECK(crowded.run("check_https_http_mismatch", {"1", "10"}) == 0);
  CHECK(crowded.run("check_https_http_mismatch", {"1"}) == 1);
}

TEST_CASE("RegistryBoundaries trims to the registered domain", "[evals][html]") {
  RegistryBoundaries rb{EvalSettings(tlds())};
  CHECK(rb.trimDomain("www.Foo.co.uk") == "foo.co.uk");
  CHECK(rb.trimDomain("a.b.example.com") == "example.com");
  CHECK(rb.trimDomain("city.ci.boston.ma.us") == "city.ci.boston.ma.us");
  CHECK(rb.isDomainValid("example.com"));
  CHECK_FALSE(rb.isDomainValid("example.invalidtld"));
  CHECK(RegistryBoundaries::isIpv4Address("192.0.2.1"));
  CHECK_FALSE(RegistryBoundaries::isIpv4Address("192.0.2.01"));
  CHECK_FALSE(RegistryBoundaries::isFqdnValid("-bad.example.com"));
}
