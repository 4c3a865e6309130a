#include "gateway/core/pipeline.h"

namespace portcullis::core {

Pipeline::Pipeline(std::vector<std::shared_ptr<const Check>> checks) : checks_(std::move(checks)) {}

void Pipeline::run(Stage stage, const CheckContext& ctx,
                   std::function<void(StageOutcome)> done) const {
  struct State {
    StageOutcome outcome;
    int pending = 1;  // the launcher itself holds one count until it has started every check
    std::function<void(StageOutcome)> done;
    void release() {
      if (--pending == 0) done(std::move(outcome));
    }
  };
  auto state = std::make_shared<State>();
  state->done = std::move(done);
  for (const auto& check : checks_) {
    if (check->stage() != stage || !ctx.policy.runs(check->name())) continue;
    if (state->outcome.decisive()) break;
    ++state->pending;
    check->run(ctx, state->outcome, [state] { state->release(); });
  }
  state->release();
}

std::optional<StageOutcome> Pipeline::runNow(Stage stage, const CheckContext& ctx) const {
  // Shared, so a check that completes after we returned writes somewhere valid.
  auto result = std::make_shared<std::optional<StageOutcome>>();
  run(stage, ctx, [result](StageOutcome o) { *result = std::move(o); });
  return std::move(*result);
}

}  // namespace portcullis::core
