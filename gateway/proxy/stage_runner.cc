#include "gateway/proxy/stage_runner.h"

namespace portcullis::proxy {

asio::awaitable<core::StageOutcome> runStage(const core::Pipeline& pipeline, core::Stage stage,
                                             const core::CheckContext& ctx) {
  auto ex = co_await asio::this_coro::executor;
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(core::StageOutcome)>(
      [&](auto handler) {
        auto h = std::make_shared<decltype(handler)>(std::move(handler));
        pipeline.run(stage, ctx, [h, ex](core::StageOutcome o) {
          // Resume the session from the executor, never from inside a check's callback.
          asio::post(ex, [h, o = std::move(o)]() mutable { (*h)(std::move(o)); });
        });
      },
      asio::use_awaitable);
}

}  // namespace portcullis::proxy
