#include "gateway/core/pipeline.h"

#include <chrono>

#include "gateway/core/metrics.h"

namespace portcullis::core {

Pipeline::Pipeline(std::vector<std::shared_ptr<const Check>> checks) : checks_(std::move(checks)) {
  // Looked up once per pipeline, not per message: the registry keeps one per check name.
  for (const auto& check : checks_)
    latency_.push_back(&metrics::Registry::instance().histogram(
        "portcullis_check_duration_seconds",
        "Time one check took on one message or connection, DNS and store waits included",
        {{"check", std::string(check->name())}}));
}

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
  for (size_t i = 0; i < checks_.size(); ++i) {
    const auto& check = checks_[i];
    if (check->stage() != stage || !ctx.policy.runs(check->name())) continue;
    if (state->outcome.decisive()) break;
    ++state->pending;
    const auto started = std::chrono::steady_clock::now();
    check->run(ctx, state->outcome, [state, latency = latency_[i], started] {
      latency->observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      state->release();
    });
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
