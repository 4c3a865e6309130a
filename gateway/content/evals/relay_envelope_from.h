// The envelope sender as SpamAssassin guesses it (PerMsgStatus::get_envelope_from): what the
// front door saw in MAIL FROM when there was one, else the configured envelope_sender_header,
// else the envelope-from the last untrusted relay recorded, else the headers a delivery agent
// writes (X-Envelope-From, Envelope-Sender, Return-Path) when no Received line precedes them.
#pragma once
#include <optional>
#include <string>

#include "gateway/content/evals/eval_context.h"

namespace portcullis::content::evals {

// nullopt when it cannot be told (SpamAssassin's undef); "" is the null sender.
std::optional<std::string> saEnvelopeFrom(const EvalContext& ctx);

// $pms->get('Name:addr') in scalar context: the first address of the header, "" when none.
std::string firstAddress(const EvalContext& ctx, const std::string& header);

}  // namespace portcullis::content::evals
