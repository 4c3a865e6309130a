// A CPU-time budget for one message's content work (MIME parse, HTML render, rule scan). It
// counts the CPU time of the thread doing the work, not the wall clock: a loaded machine
// makes every message slower, and that must not read as a message built to be slow.
#pragma once
#include <chrono>
#include <functional>

namespace portcullis::mime {

class WorkBudget {
 public:
  using Clock = std::function<std::chrono::nanoseconds()>;

  WorkBudget() = default;  // unlimited
  // Starts now on the calling thread's CPU clock (or `clock`, for tests). A zero `limit`:
  // unlimited.
  explicit WorkBudget(std::chrono::milliseconds limit, Clock clock = {});

  // True once the work has used up the budget. Reads the clock: call it between units of work
  // (a part, a buffer, a rule), not in the innermost loop.
  bool exhausted() const;

 private:
  Clock clock_;
  std::chrono::nanoseconds start_{0};
  std::chrono::nanoseconds limit_{0};
};

}  // namespace portcullis::mime
