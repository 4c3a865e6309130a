// Marks the threads that run session event loops, so code that may block (a library's
// synchronous DNS callback, for one) can refuse to run there and count the attempt. The count
// is how the tests know that no DNS call ran on an event-loop thread.
#pragma once
#include <atomic>
#include <cstdint>

namespace portcullis::core {

void markEventLoopThread();
bool onEventLoopThread();

// A blocking call refused on an event-loop thread: counts it and returns true.
bool refuseBlockingOnEventLoop();
uint64_t blockingCallsRefused();

}  // namespace portcullis::core
