// One literal message as the header evals see it (no relays, no envelope unless given).
#pragma once
#include <string>

#include "gateway/content/evals/eval_context.h"
#include "gateway/content/evals/eval_settings.h"
#include "gateway/mime/message.h"

namespace portcullis::content::evals::testing {

struct HeaderEvalFixture {
  std::string raw;
  mime::Message message;
  SaMessageText text;
  relays::RelayPath path;
  EvalSettings settings;
  EvalContext ctx;

  explicit HeaderEvalFixture(
      std::string rawMessage, Envelope envelope = {},
      std::chrono::system_clock::time_point now = std::chrono::system_clock::now(),
      EvalSettings evalSettings = {})
      : raw(std::move(rawMessage)),
        message(mime::parseMessage(raw)),
        text(raw, message),
        settings(std::move(evalSettings)),
        ctx(raw, message, text, path, settings, std::move(envelope), now) {}
};

}  // namespace portcullis::content::evals::testing
