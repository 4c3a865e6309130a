// Reputation in the gateway: the verdict-stage check that scores a message by what the site
// learned about its client, HELO, authenticated domains and URL hosts, and the learning from
// final verdicts. Store calls run on a small pool, never on an event loop; a store that fails
// makes the check neutral, never the message fail.
#pragma once
#include <memory>

#include "gateway/checks/domain_list.h"
#include "gateway/core/check.h"
#include "gateway/net/asio.h"
#include "reputation/score.h"
#include "reputation/store.h"

namespace portcullis::checks {

struct ReputationSettings {
  bool enabled = true;
  reputation::ScoreSettings score;
  reputation::KeyOptions keys;
  bool learn = true;
  // Learning from verdicts, judged by the score without reputation's own symbols (so that a
  // reputation never confirms itself): a rejection, or a score at or above learnSpamAt, is
  // spam; an accepted message at or below learnHamBelow is ham; anything between teaches
  // nothing.
  double learnSpamAt = 10;
  double learnHamBelow = 0;
  // How much one message counts, per outcome. `manual` is `portcullis learn`: an admin's
  // verdict is worth more than the filter's own; `refused` is a client a protocol test caught.
  struct Weights {
    double ham = 1, spam = 1, rejected = 1, manual = 3, refused = 1;
  } learnWeights;
  int workers = 2;  // the process-wide store pool's size, fixed by the first snapshot
  // Domain-based DNS lists (domain_list.h), asked at the data stage; independent of learning.
  std::vector<DomainList> domainLists;
  int maxDomainLookups = 20;
};

// What a transaction proves about its sender (see reputation::keysFor for what counts).
reputation::Identity identityOf(const core::SessionInfo& s, const core::Transaction& tx,
                                const mime::Limits& limits = {});

class ReputationService {
 public:
  ReputationService(std::shared_ptr<reputation::Store> store, ReputationSettings settings);
  const ReputationSettings& settings() const { return settings_; }
  const std::shared_ptr<reputation::Store>& store() const { return store_; }
  // Runs `f` on the store pool: one per process, shared by every config snapshot, so that
  // no snapshot's end ever waits for (or runs inside) a store call.
  void post(std::function<void()> f);
  // Learns from a finished transaction (asynchronously). Returns what was learned, for logs:
  // "spam", "ham", "rejected", or "" for nothing.
  // The outcome is judged as if reputation had not spoken: the verdict is decided again under
  // `thresholds` without reputation's symbols, so a reputation never confirms itself.
  std::string learn(const core::SessionInfo& s, const core::Transaction& tx,
                    const core::Verdict& verdict, const core::Decision& d,
                    const core::Thresholds& thresholds);
  // Learns from a client refused by a first-hand protocol test of the firewall (talking before
  // the greeting, forbidden pipelining, non-SMTP, bare newlines, too many errors): its address
  // and network count one rejection of weight learn_weight_refused. DNS list and rate-limit
  // refusals teach nothing: the first only echoes someone else's list, the second may be a
  // busy legitimate sender. Returns "rejected" when it learned, for the log.
  std::string learnRefusal(const core::SessionInfo& s, const std::string& test);

 private:
  std::shared_ptr<reputation::Store> store_;
  ReputationSettings settings_;
};

class ReputationCheck final : public core::Check {
 public:
  explicit ReputationCheck(std::shared_ptr<ReputationService> service)
      : service_(std::move(service)) {}
  std::string_view name() const override { return "reputation"; }
  core::Stage stage() const override { return core::Stage::Verdict; }
  void run(const core::CheckContext& ctx, core::StageOutcome& out,
           std::function<void()> done) const override;

 private:
  std::shared_ptr<ReputationService> service_;
};

}  // namespace portcullis::checks
