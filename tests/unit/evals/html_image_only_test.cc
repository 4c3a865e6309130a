// html_image_only: an <img> in an HTML part whose source is min < length <= max characters.
#include "tests/unit/evals/html_eval_fixture.h"

using portcullis::content::evals::testing::EvalMessage;
using portcullis::content::evals::testing::htmlMessage;

TEST_CASE("html_image_only (HTML_IMAGE_ONLY_*)", "[evals][html]") {
  // About 60 characters of HTML around one image.
  const std::string html = "<html><body><img src=\"http://x.example/a.gif\"></body></html>";
  EvalMessage image(htmlMessage(html));
  const double* length = image.facts().parts().at(0).number("length");
  REQUIRE(length != nullptr);
  CHECK(*length >= static_cast<double>(html.size()));
  CHECK(*length <= static_cast<double>(html.size() + 2));
  CHECK(image.run("html_image_only", {"0000", "0400"}) == 1);
  CHECK(image.run("html_image_only", {"0400", "0800"}) == 0);
  EvalMessage text(htmlMessage("<html><body><p>no image</p></body></html>"));
  CHECK(text.run("html_image_only", {"0000", "0400"}) == 0);
  EvalMessage longer(htmlMessage("<img src=\"a.gif\"><p>" + std::string(600, 'w') + "</p>"));
  CHECK(longer.run("html_image_only", {"0400", "0800"}) == 1);
  CHECK(longer.run("html_image_only", {"0000", "0400"}) == 0);
}
