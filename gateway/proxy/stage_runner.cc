#include "gateway/proxy/stage_runner.h"

#include <chrono>

#include "gateway/core/metrics.h"

namespace portcullis::proxy {

asio::awaitable<core::StageOutcome> runStage(const core::Pipeline& pipeline, core::Stage stage,
                                             const core::CheckContext& ctx) {
  auto ex = co_await asio::this_coro::executor;
  auto& latency = core::metrics::Registry::instance().histogram(
      "portcullis_stage_duration_seconds",
      "Time the checks of one pipeline stage took, DNS and store waits included",
      {{"stage", std::string(core::stageName(stage))}});
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

}  // namespace portcullis::proxy
