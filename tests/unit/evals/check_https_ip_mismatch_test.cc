// check_https_ip_mismatch: a link to an IP address showing an https: URL as its text.
#include "tests/unit/evals/html_eval_fixture.h"

using portcullis::content::evals::testing::EvalMessage;
using portcullis::content::evals::testing::htmlMessage;

TEST_CASE("check_https_ip_mismatch (HTTPS_IP_MISMATCH)", "[evals][html]") {
  EvalMessage phish(
      htmlMessage("<a href=\"http://192.0.2.7/login\">https://www.bank.example/login</a>"));
  CHECK(phish.run("check_https_ip_mismatch") == 1);
  EvalMessage sameIp(htmlMessage("<a href=\"http://192.0.2.7/\">https://192.0.2.7/</a>"));
  CHECK(sameIp.run("check_https_ip_mismatch") == 0);
  EvalMessage hostname(
      htmlMessage("<a href=\"http://www.example.com/\">https://www.bank.example/</a>"));
  CHECK(hostname.run("check_https_ip_mismatch") == 0);
  EvalMessage plainText(htmlMessage("<a href=\"http://192.0.2.7/\">click here</a>"));
  CHECK(plainText.run("check_https_ip_mismatch") == 0);
}
