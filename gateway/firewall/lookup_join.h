// Gathers the answers of several resolver lookups and finishes once, on the session's thread.
// Lookups call back on the resolver thread; `finish` must run where the session lives
// (CheckContext::post), so the last answer posts it there.
#pragma once
#include <functional>
#include <memory>
#include <mutex>

#include "gateway/core/check.h"

namespace portcullis::firewall {

template <typename State>
class LookupJoin : public std::enable_shared_from_this<LookupJoin<State>> {
 public:
  // `finish` must not capture the join itself (it would keep itself alive).
  LookupJoin(core::Post post, std::function<void(State&)> finish)
      : post_(std::move(post)), finish_(std::move(finish)) {}

  void hold() {
    std::lock_guard lock(mutex_);
    ++pending_;
  }
  // Runs `update` on the state under the lock, then releases one hold.
  template <typename F>
  void update(F&& f) {
    {
      std::lock_guard lock(mutex_);
      f(state_);
    }
    release();
  }
  // Releases the launcher's own hold: call once every lookup has been started.
  void release() {
    bool last;
    {
      std::lock_guard lock(mutex_);
      last = --pending_ == 0;
    }
    if (!last) return;
    post_([self = this->shared_from_this()] {
      auto finish = std::move(self->finish_);
      finish(self->state_);
    });
  }
  State& state() { return state_; }  // before the first lookup is started only

 private:
  std::mutex mutex_;
  State state_{};
  int pending_ = 1;
  core::Post post_;
  std::function<void(State&)> finish_;
};

}  // namespace portcullis::firewall
