// image_named(name): an image part of that exact file name whose size could be read.
#include "gateway/content/evals/image_evals.h"
#include "gateway/content/evals/image_facts.h"

namespace portcullis::content::evals {

int imageNamed(const EvalContext& ctx, const std::vector<std::string>& args) {
  if (args.empty()) return 0;
  return ctx.facts<ImageFacts>().names.count(args[0]) ? 1 : 0;
}

}  // namespace portcullis::content::evals
