// Bridges the callback-based Pipeline to coroutines.
#pragma once
#include "gateway/core/pipeline.h"
#include "gateway/net/asio.h"

namespace portcullis::proxy {

asio::awaitable<core::StageOutcome> runStage(const core::Pipeline& pipeline, core::Stage stage,
                                             const core::CheckContext& ctx);

// The end of a message, the same whichever door it came through: the data stage, then the
// verdict stage (which reads the data stage's facts), both recorded in `tx` (ctx.tx). Returns
// the data stage's outcome (the headers to add) with the verdict stage's forced action joined,
// and the message's whole verdict: the connection's, then the transaction's, then the force.
struct MessageVerdict {
  core::StageOutcome outcome;
  core::Verdict verdict;
};
asio::awaitable<MessageVerdict> judgeMessage(const core::Pipeline& pipeline,
                                             const core::CheckContext& ctx, core::Transaction& tx);

}  // namespace portcullis::proxy
