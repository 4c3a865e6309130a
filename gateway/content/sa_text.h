// Renders a parsed message into the texts SpamAssassin's rule types read, the way
// SpamAssassin 4 builds them (Message.pm, PerMsgStatus.pm), so that a stock rule fires on the
// same messages here as there.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/content/relays/relay.h"
#include "gateway/mime/message.h"
#include "rules/engine/message_text.h"

namespace portcullis::content {

class SaMessageText final : public rules::MessageText {
 public:
  // `raw` must outlive this object. `envelopeFrom` answers `EnvelopeFrom` queries when known
  // (the proxy knows MAIL FROM; a file scan may not).
  SaMessageText(std::string_view raw, const mime::Message& message,
                std::optional<std::string> envelopeFrom = std::nullopt);

  std::vector<std::string> header(const rules::HeaderQuery& query) const override;
  std::vector<std::optional<std::string>> mimeHeader(
      const rules::HeaderQuery& query) const override;
  const std::vector<std::string>& body() const override { return body_; }
  size_t bodySubjectLines() const override { return subjectLines_; }
  const std::vector<std::string>& rawBody() const override { return rawBody_; }
  const std::vector<std::string>& uris() const override { return uris_; }
  std::string_view full() const override { return raw_; }
  // The message's work budget ran out while the texts were built (some URIs are missing).
  bool outOfTime() const { return outOfTime_; }
  // The relay analysis that answers X-Spam-Relays-* and ALL-TRUSTED & co. (must outlive this
  // object; without it those read as absent).
  void setRelays(const relays::RelayPath* path) { relays_ = path; }

 private:
  std::string_view raw_;
  const mime::Message& message_;
  std::optional<std::string> envelopeFrom_;
  const relays::RelayPath* relays_ = nullptr;
  std::vector<const mime::Part*> parts_;  // every part, containers included, document order
  std::vector<std::string> body_, rawBody_, uris_;
  size_t subjectLines_ = 1;
  bool outOfTime_ = false;
};

// SpamAssassin's whitespace rule for rendered text: blank-line runs become one line break,
// every other run of white space (Unicode too) one space.
std::string collapseWhitespace(std::string_view text);
// Lines (each keeping its "\n"), with lines over 2048 bytes cut at a space.
std::vector<std::string> splitShortLines(std::string_view text);
// Chunks of 2048-4096 bytes cut at a newline, '>' or space (rawbody).
std::vector<std::string> splitShortParagraphs(std::string_view text);

// A URI and the variants SpamAssassin's uri_list_canonicalize adds: %-decoded, scheme added,
// without user@ or default port, and any URL a redirector carries in its path or query.
std::vector<std::string> canonicalUris(std::string_view uri);

struct HeaderAddress {
  std::string address;
  std::string phrase;  // display name, or the comment when there is none
};
// The addresses of an address-list header field (RFC 5322 with common breakage tolerated).
std::vector<HeaderAddress> parseHeaderAddresses(std::string_view value);

}  // namespace portcullis::content
