#include "gateway/core/thread_role.h"

#include "gateway/core/log.h"

namespace portcullis::core {

namespace {
thread_local bool eventLoopThread = false;
std::atomic<uint64_t> refused{0};
}  // namespace

void markEventLoopThread() {
  eventLoopThread = true;
}
bool onEventLoopThread() {
  return eventLoopThread;
}

bool refuseBlockingOnEventLoop() {
  if (!eventLoopThread) return false;
  refused.fetch_add(1, std::memory_order_relaxed);
  log::error("internal: a blocking call was attempted on an event-loop thread and refused");
  return true;
}

uint64_t blockingCallsRefused() {
  return refused.load(std::memory_order_relaxed);
}

}  // namespace portcullis::core
