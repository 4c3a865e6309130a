// Bridges the callback-based Pipeline to coroutines.
#pragma once
#include "gateway/core/pipeline.h"
#include "gateway/net/asio.h"

namespace portcullis::proxy {

asio::awaitable<core::StageOutcome> runStage(const core::Pipeline& pipeline, core::Stage stage,
                                             const core::CheckContext& ctx);

}  // namespace portcullis::proxy
