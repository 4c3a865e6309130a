// The thread CPU clock (CLOCK_THREAD_CPUTIME_ID) behind WorkBudget.
#include "gateway/mime/work_budget.h"

#include <time.h>

namespace portcullis::mime {

namespace {
std::chrono::nanoseconds threadCpuTime() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
}
}  // namespace

WorkBudget::WorkBudget(std::chrono::milliseconds limit, Clock clock)
    : clock_(clock ? std::move(clock) : Clock(threadCpuTime)), limit_(limit) {
  start_ = clock_();
}

bool WorkBudget::exhausted() const {
  return limit_.count() > 0 && clock_() - start_ >= limit_;
}

}  // namespace portcullis::mime
