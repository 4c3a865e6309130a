// Runs blocking work (a file write, a store lookup) on a thread pool and resumes the calling
// coroutine on its own executor with the result: `T r = co_await offLoop(pool, [..] { ... });`
//
// Not `co_await asio::post(pool, use_awaitable)`: that completes through the coroutine's own
// executor, so the code after it still runs on the event loop (measured: same thread id).
// And not a coroutine itself: GCC 12 destroys a coroutine's by-value lambda parameter twice
// (found by ASan: a captured shared_ptr lost one count too many), and so it does to a lambda
// temporary inside a co_await expression: callers pass a named lambda, moved.
#pragma once
#include <memory>
#include <type_traits>

#include "gateway/net/asio.h"

namespace portcullis::net {

// `work` must not throw: catch inside and return what the caller should see.
template <typename F>
auto offLoop(asio::thread_pool& pool, F work) {
  using R = std::invoke_result_t<F&>;
  return asio::async_initiate<decltype(asio::use_awaitable), void(R)>(
      [&pool](auto handler, F work) {
        auto ex = asio::get_associated_executor(handler);
        auto h = std::make_shared<decltype(handler)>(std::move(handler));
        asio::post(pool, [h, ex, work = std::move(work)]() mutable {
          R result = work();
          asio::post(ex, [h, result = std::move(result)]() mutable { (*h)(std::move(result)); });
        });
      },
      asio::use_awaitable, std::move(work));
}

}  // namespace portcullis::net
