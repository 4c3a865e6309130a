// BodyEval's _multipart_alternative_difference: how many of the HTML alternative's words the
// text alternative lacks (percent, the worst multipart/alternative), and the word counts.
#pragma once

namespace portcullis::content::evals {

class EvalContext;

struct AlternativeDifferenceFacts {
  explicit AlternativeDifferenceFacts(const EvalContext& ctx);
  double difference = 0;  // pms->{madiff}
  int htmlWords = 0;      // pms->{madiff_html}: distinct words
  int textWords = 0;      // pms->{madiff_text}
};

}  // namespace portcullis::content::evals
