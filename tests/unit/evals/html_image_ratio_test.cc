// html_image_ratio: visible characters per pixel of declared image area.
#include "tests/unit/evals/html_eval_fixture.h"

using portcullis::content::evals::testing::EvalMessage;
using portcullis::content::evals::testing::htmlMessage;

TEST_CASE("html_image_ratio (HTML_IMAGE_RATIO_*)", "[evals][html]") {
  // 10 visible characters over 500x400 = 200000 pixels: 0.00005.
  EvalMessage big(htmlMessage("<img src=a.gif width=500 height=400><p>abcde fghij</p>"));
  CHECK(big.facts().parts().at(0).number("non_space_len") != nullptr);
  CHECK(*big.facts().parts().at(0).number("non_space_len") == 10);
  CHECK(*big.facts().parts().at(0).number("image_area") == 200000);
  CHECK(big.run("html_image_ratio", {"0.000", "0.002"}) == 1);
  CHECK(big.run("html_image_ratio", {"0.002", "0.004"}) == 0);
  // Entities count as the character they stand for; a size that does not read is 200.
  EvalMessage guessed(htmlMessage("<img src=a.gif width=x height=5%>&amp;&amp;"));
  CHECK(*guessed.facts().parts().at(0).number("image_area") == 200 * 30);
  CHECK(*guessed.facts().parts().at(0).number("non_space_len") == 2);
  // No image: no ratio.
  EvalMessage none(htmlMessage("<p>text only</p>"));
  CHECK(none.run("html_image_ratio", {"0.000", "1000"}) == 0);
}
