// Releasing a quarantined message: relayed to the configured downstream as it would have gone
// when it arrived (same envelope, same message), with one header field added that says who
// released it and when. The file is removed only once the downstream accepted the message for
// every recipient; otherwise it stays, and the result says what the downstream answered.
#pragma once
#include <string>
#include <vector>

#include "gateway/config/config.h"
#include "gateway/net/asio.h"
#include "gateway/proxy/shared_state.h"
#include "gateway/quarantine/quarantine_store.h"

namespace portcullis::quarantine {

struct ReleaseResult {
  bool released = false;  // delivered to every recipient and removed from the quarantine
  std::string detail;     // the downstream's answer, or why nothing was sent
  std::vector<std::string> refusedRecipients;  // "addr: reply" for each the downstream refused
};

// `who` goes into the X-Portcullis-Released field ("admin@console", "root (uid 0)").
asio::awaitable<ReleaseResult> release(const QuarantineStore& store, std::string id,
                                       const config::Config& config, proxy::SharedState& shared,
                                       std::string who);

}  // namespace portcullis::quarantine
