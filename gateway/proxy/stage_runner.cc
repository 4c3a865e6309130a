#include "gateway/proxy/stage_runner.h"

#include <array>
#include <chrono>

#include "gateway/core/metrics.h"

namespace portcullis::proxy {

namespace {
// One histogram per stage, looked up once: runStage is on every message's path.
core::metrics::Histogram& stageLatency(core::Stage stage) {
  constexpr size_t kStages = static_cast<size_t>(core::Stage::Verdict) + 1;  // the last stage
  static const auto all = [] {
    std::array<core::metrics::Histogram*, kStages> h{};
    for (size_t i = 0; i < kStages; ++i)
      h[i] = &core::metrics::Registry::instance().histogram(
          "portcullis_stage_duration_seconds",
          "Time the checks of one pipeline stage took, DNS and store waits included",
          {{"stage", std::string(core::stageName(static_cast<core::Stage>(i)))}});
    return h;
  }();
  return *all[static_cast<size_t>(stage)];
}
}  // namespace

asio::awaitable<core::StageOutcome> runStage(const core::Pipeline& pipeline, core::Stage stage,
                                             const core::CheckContext& ctx) {
  auto ex = co_await asio::this_coro::executor;
  auto& latency = stageLatency(stage);
  const auto started = std::chrono::steady_clock::now();
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(core::StageOutcome)>(
      [&](auto handler) {
        auto h = std::make_shared<decltype(handler)>(std::move(handler));
        pipeline.run(stage, ctx, [h, ex, &latency, started](core::StageOutcome o) {
          latency.observe(
              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
          // Resume the session from the executor, never from inside a check's callback.
          asio::post(ex, [h, o = std::move(o)]() mutable { (*h)(std::move(o)); });
        });
      },
      asio::use_awaitable);
}

asio::awaitable<MessageVerdict> judgeMessage(const core::Pipeline& pipeline,
                                             const core::CheckContext& ctx, core::Transaction& tx) {
  MessageVerdict m;
  m.outcome = co_await runStage(pipeline, core::Stage::Data, ctx);
  for (auto& s : m.outcome.symbols) tx.verdict.add(s);
  for (auto& [name, values] : m.outcome.facts)
    tx.facts[name].insert(tx.facts[name].end(), values.begin(), values.end());
  // The verdict stage reads what the data stage established (reputation by authenticated
  // domains); its forced actions join the data stage's.
  auto late = co_await runStage(pipeline, core::Stage::Verdict, ctx);
  for (auto& s : late.symbols) tx.verdict.add(s);
  if (late.forced) m.outcome.force(*late.forced);
  m.verdict = ctx.session.connectVerdict;
  m.verdict.merge(tx.verdict);
  if (m.outcome.forced) m.verdict.force(*m.outcome.forced);
  co_return m;
}

}  // namespace portcullis::proxy
