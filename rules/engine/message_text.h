// The texts rules match, as the caller renders them from a message. The engine knows nothing
// of MIME: this interface is the whole contract.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/engine/rule.h"

namespace portcullis::rules {

class MessageText {
 public:
  virtual ~MessageText() = default;
  // SpamAssassin's get() in list context: one value per header instance, in order, each
  // ending in "\n" except for :addr and :name results. Empty when the header is absent.
  virtual std::vector<std::string> header(const HeaderQuery& query) const = 0;
  // `mimeheader`: for every MIME part (the message itself first), the last instance of the
  // header in that part (decoded unless query.raw, ending in "\n"), or nullopt if absent.
  virtual std::vector<std::optional<std::string>> mimeHeader(const HeaderQuery& query) const { return {}; }
  // `body`: Subject first, then the rendered text, one paragraph per line.
  virtual const std::vector<std::string>& body() const = 0;
  // How many of the first body() lines hold the Subject (for tflags nosubject).
  virtual size_t bodySubjectLines() const = 0;
  // `rawbody`: decoded text parts, not rendered, in chunks.
  virtual const std::vector<std::string>& rawBody() const = 0;
  // `uri`: every URI found, each variant separately.
  virtual const std::vector<std::string>& uris() const = 0;
  // `full`: the message as received.
  virtual std::string_view full() const = 0;
};

// A MessageText made of plain strings, for tests and `rules test`.
struct SimpleMessageText final : MessageText {
  std::vector<std::pair<std::string, std::string>> headers;  // name, value (no "\n")
  std::optional<std::string> everyHeader;  // when set, the value of every header query
  std::vector<std::string> bodyLines, rawLines, uriList;
  size_t subjectLines = 0;
  std::string fullText;

  std::vector<std::string> header(const HeaderQuery& q) const override;
  const std::vector<std::string>& body() const override { return bodyLines; }
  size_t bodySubjectLines() const override { return subjectLines; }
  const std::vector<std::string>& rawBody() const override { return rawLines; }
  const std::vector<std::string>& uris() const override { return uriList; }
  std::string_view full() const override { return fullText; }
};

}  // namespace portcullis::rules
