// Runs the checks of a stage and collects their outcome.
#pragma once
#include <functional>
#include <memory>
#include <vector>

#include "gateway/core/check.h"
#include "gateway/core/metrics.h"

namespace portcullis::core {

class Pipeline {
 public:
  explicit Pipeline(std::vector<std::shared_ptr<const Check>> checks);

  // Starts every check of `stage` that ctx.policy enables, in registry order, without waiting
  // for one to finish before starting the next (they are independent). Stops starting more once
  // the outcome is decisive, so a denied client costs no DNS. `done` runs exactly once, after
  // every started check has completed. The context must outlive the call to `done`.
  void run(Stage stage, const CheckContext& ctx, std::function<void(StageOutcome)> done) const;

  // Convenience for synchronous callers (tests, scan with only synchronous checks): returns the
  // outcome if every check completed before run() returned.
  std::optional<StageOutcome> runNow(Stage stage, const CheckContext& ctx) const;

  const std::vector<std::shared_ptr<const Check>>& checks() const { return checks_; }

 private:
  std::vector<std::shared_ptr<const Check>> checks_;
  std::vector<metrics::Histogram*> latency_;  // per check, same order
};

}  // namespace portcullis::core
