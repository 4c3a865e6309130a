// Runs one eval function on a literal message (the MIME, body and image eval tests).
#pragma once
#include <string>
#include <vector>

#include "gateway/content/evals/eval_context.h"
#include "gateway/content/evals/eval_registry.h"
#include "gateway/content/relays/relay.h"
#include "gateway/content/sa_text.h"
#include "gateway/mime/message.h"

namespace portcullis::content::evals::testing {

inline int runEval(const std::string& function, const std::string& raw,
                   const std::vector<std::string>& args,
                   std::vector<rules::Setting> settingLines = {}) {
  mime::Message message = mime::parseMessage(raw);
  SaMessageText text(raw, message);
  relays::RelayPath path;
  EvalSettings settings(std::move(settingLines));
  EvalContext ctx(raw, message, text, path, settings, {});
  auto registry = buildEvalRegistry(settings);
  const EvalEntry* entry = registry->find(function);
  if (!entry) return -1;
  return entry->run(ctx, args);
}

}  // namespace portcullis::content::evals::testing
